from django.urls import path

from opencls.people import views

app_name = "people"
P = "contrats/<int:pk>/personnes/"
urlpatterns = [
    path(P, views.people_list, name="list"),
    path(P + "inviter/", views.invite, name="invite"),
    path(P + "roles/<int:role_pk>/modifier/", views.role_change, name="role_change"),
    path(P + "roles/<int:role_pk>/retirer/", views.role_remove, name="role_remove"),
    path(P + "invitations/<int:invitation_pk>/renvoyer/", views.invitation_resend, name="invitation_resend"),
    path(P + "invitations/<int:invitation_pk>/annuler/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<str:token>/", views.accept, name="accept"),
]
