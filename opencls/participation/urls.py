from django.urls import path

from opencls.participation import views

app_name = "participation"
C = "contrats/<int:pk>/"
P = C + "participation/"
BODY = P + "instances/<int:participation_body_pk>/"
MEMBER = BODY + "membres/<int:participant_pk>/"
urlpatterns = [
    path(P, views.overview, name="overview"),
    path(P + "instances/ajouter/", views.body_add, name="body_add"),
    path(BODY, views.body_detail, name="body_detail"),
    path(BODY + "modifier/", views.body_edit, name="body_edit"),
    path(BODY + "supprimer/", views.body_delete, name="body_delete"),
    path(BODY + "membres/ajouter/", views.participant_add, name="participant_add"),
    path(MEMBER + "modifier/", views.participant_edit, name="participant_edit"),
    path(MEMBER + "supprimer/", views.participant_erase, name="participant_erase"),
    path(MEMBER + "consentements/ajouter/", views.consent_add, name="consent_add"),
    path(MEMBER + "consentements/<int:consent_pk>/retirer/", views.consent_withdraw, name="consent_withdraw"),
    path(BODY + "sieges/ajouter/", views.seat_add, name="seat_add"),
    path(BODY + "sieges/<int:seat_pk>/supprimer/", views.seat_delete, name="seat_delete"),
    path(P + "temps/ajouter/", views.event_add, name="event_add"),
    path(P + "temps/<int:event_pk>/modifier/", views.event_edit, name="event_edit"),
    path(P + "temps/<int:event_pk>/supprimer/", views.event_delete, name="event_delete"),
    path(C + "contrat-de-ville/", views.city_contract, name="city_contract"),
    path(C + "contrat-de-ville.docx", views.city_contract_docx, name="city_contract_docx"),
    path(C + "contrat-de-ville.xlsx", views.city_contract_xlsx, name="city_contract_xlsx"),
    path(C + "contrat-de-ville/pdf/", views.city_contract_pdf, name="city_contract_pdf"),
]
