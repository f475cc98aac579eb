from django.urls import path

from opencls.publication.views import legal, manage, moderation, public

app_name = "publication"
urlpatterns = [
    path("contrats/publies/<int:pk>/fiches/<int:action_pk>/", public.public_action, name="action"),
    path("contrats/publies/<int:pk>/contrat.json", public.contract_json, name="contract_json"),
    path(
        "contrats/publies/<int:pk>/rapport-evaluation.pdf", public.evaluation_report, name="evaluation_report"
    ),
    path("contrats/<int:pk>/publication/visibilite/", manage.visibility, name="visibility"),
    path("contrats/<int:pk>/suggestions/", moderation.suggestion_list, name="suggestions"),
    path(
        "contrats/<int:pk>/suggestions/<int:suggestion_pk>/", moderation.suggestion_detail, name="suggestion"
    ),
    path("mentions-legales/", legal.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", legal.privacy, name="privacy"),
    path("accessibilite/", legal.accessibility, name="accessibility"),
    path("plan-du-site/", legal.sitemap, name="sitemap"),
]
