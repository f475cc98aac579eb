from django.urls import path

from opencls.renewal import views

app_name = "renewal"
urlpatterns = [
    path("contrats/<int:pk>/evaluation-finale/", views.evaluation, name="evaluation"),
    path("contrats/<int:pk>/evaluation-finale/rediger/", views.evaluation_edit, name="evaluation_edit"),
    path("contrats/<int:pk>/evaluation-finale/rapport/", views.report_generate, name="report_generate"),
    path("contrats/<int:pk>/renouveler/", views.renew, name="renew"),
]
