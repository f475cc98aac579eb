"""Open data in French field names; contracts as the list reads them, details from the snapshot."""

from django.urls import reverse
from rest_framework import serializers

from opencls.opendata.selectors import public_actions


def _absolute(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class OpenTerritorySerializer(serializers.Serializer):
    nom = serializers.CharField()
    code_region = serializers.CharField()
    region = serializers.CharField()
    code_departement = serializers.CharField()
    departement = serializers.CharField()


class OpenContractSerializer(serializers.Serializer):
    """A published contract: what its latest published version says."""

    id = serializers.IntegerField(source="pk")
    type = serializers.CharField(source="public_kind")
    intitule = serializers.CharField(source="public_title")
    sigle = serializers.CharField(source="public_short_name", allow_null=True)
    statut = serializers.CharField(source="public_status")
    debut = serializers.CharField(source="public_start_date", allow_null=True)
    fin = serializers.CharField(source="public_end_date", allow_null=True)
    version = serializers.IntegerField(source="version_number")
    publiee_le = serializers.DateTimeField(source="version_date")
    territoire = serializers.SerializerMethodField()
    page_publique = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_territoire(self, contract) -> OpenTerritorySerializer:
        t = contract.territory
        return {"nom": contract.public_territory, "code_region": t.region_code, "region": t.region,
                "code_departement": t.department_code, "departement": t.department}  # fmt: skip

    def get_page_publique(self, contract) -> str:
        return _absolute(self.context, reverse("contracts:public_detail", args=[contract.pk]))

    def get_url(self, contract) -> str:
        return _absolute(self.context, reverse("opendata:contract-detail", args=[contract.pk]))


class OpenValueSerializer(serializers.Serializer):
    periode = serializers.CharField(source="period")
    valeur = serializers.CharField(source="value")


class OpenIndicatorSerializer(serializers.Serializer):
    libelle = serializers.CharField(source="label")
    type = serializers.CharField(source="kind")
    unite = serializers.CharField(source="unit")
    valeurs = OpenValueSerializer(source="values", many=True)
    cibles = OpenValueSerializer(source="targets", many=True)


class OpenActionSerializer(serializers.Serializer):
    code = serializers.CharField()
    intitule = serializers.CharField(source="title")
    axe = serializers.CharField(source="axis")
    contexte = serializers.CharField(source="context", default="")
    descriptif = serializers.CharField(source="description", default="")
    publics = serializers.CharField(source="target_publics", default="")
    calendrier = serializers.CharField(source="schedule", default="")
    debut = serializers.CharField(source="start_date", allow_null=True, default=None)
    fin = serializers.CharField(source="end_date", allow_null=True, default=None)
    statut = serializers.CharField(source="status_label")
    porteurs = serializers.ListField(source="leads", child=serializers.CharField(), default=list)
    partenaires = serializers.ListField(source="partners", child=serializers.CharField(), default=list)
    indicateurs = OpenIndicatorSerializer(source="indicators", many=True, default=list)


class OpenContractDetailSerializer(OpenContractSerializer):
    fiches_actions = serializers.SerializerMethodField()

    def get_fiches_actions(self, contract) -> OpenActionSerializer(many=True):
        return OpenActionSerializer(public_actions(self.context["snapshot"]), many=True).data
