from django.urls import path

from opencls.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("contrats/<int:pk>/suivi/", views.dashboard, name="dashboard"),
    path("contrats/<int:pk>/suivi/fiches/<int:action_pk>/", views.action_detail, name="action"),
    path("contrats/<int:pk>/suivi/indicateurs/<int:indicator_pk>/", views.indicator_detail, name="indicator"),
    path(
        "contrats/<int:pk>/suivi/valeurs/<int:value_pk>/supprimer/",
        views.indicator_value_delete,
        name="indicator_value_delete",
    ),
    path(
        "contrats/<int:pk>/suivi/cibles/<int:target_pk>/supprimer/",
        views.indicator_target_delete,
        name="indicator_target_delete",
    ),
    path(
        "contrats/<int:pk>/suivi/livrables/<int:deliverable_pk>/",
        views.deliverable_detail,
        name="deliverable",
    ),
    path("contrats/<int:pk>/suivi/preuves/<int:evidence_pk>/", views.evidence_download, name="evidence"),
    path(
        "contrats/<int:pk>/suivi/preuves/<int:evidence_pk>/supprimer/",
        views.evidence_delete,
        name="evidence_delete",
    ),
    path("contrats/<int:pk>/evaluation/", views.evaluation_index, name="evaluation_index"),
    path("contrats/<int:pk>/evaluation/<int:year>/", views.evaluation_detail, name="evaluation"),
    path(
        "contrats/<int:pk>/evaluation/<int:year>/rapport/",
        views.evaluation_generate,
        name="evaluation_generate",
    ),
    path(
        "contrats/<int:pk>/evaluation/rapports/<int:report_pk>/",
        views.evaluation_report_download,
        name="evaluation_report",
    ),
]
