from django.urls import path

from opencls.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("compteur/", views.unread_badge, name="badge"),
    path("<int:notification_pk>/ouvrir/", views.notification_open, name="open"),
    path("<int:notification_pk>/lue/", views.notification_read, name="read"),
    path("tout-lu/", views.notification_read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
]
