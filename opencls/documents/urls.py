from django.urls import path

from opencls.documents import views

app_name = "documents"
urlpatterns = [
    path("contrats/<int:pk>/documents/", views.index, name="index"),
    path("contrats/<int:pk>/documents/generer/", views.generate, name="generate"),
    path("contrats/<int:pk>/articles/", views.articles_list, name="articles"),
    path("contrats/<int:pk>/articles/<slug:key>/", views.article_edit, name="article_edit"),
    path("contrats/<int:pk>/fiches/<int:action_pk>/fiche.pdf", views.fiche_pdf, name="fiche_pdf"),
    path("contrats/publies/<int:pk>/contrat.pdf", views.public_contract_pdf, name="public_contract_pdf"),
    path("contrats/<int:pk>/calendrier/", views.calendar, name="calendar"),
    path("contrats/<int:pk>/calendrier.ics", views.calendar_ics, name="calendar_ics"),
]
