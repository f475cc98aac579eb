from django.urls import reverse
from rest_framework import serializers

from opencls.actions.models import Action
from opencls.contracts.models import Contract
from opencls.monitoring.models import Status


class OpenTerritorySerializer(serializers.Serializer):
    nom = serializers.CharField(source="name")
    code_region = serializers.CharField(source="region_code")
    region = serializers.CharField()
    code_departement = serializers.CharField(source="department_code")
    departement = serializers.CharField(source="department")


class OpenContractSerializer(serializers.ModelSerializer):
    """A published contract, in the French field names of the open data."""

    type = serializers.CharField(source="kind")
    intitule = serializers.CharField(source="title")
    sigle = serializers.CharField(source="short_name")
    statut = serializers.CharField(source="status")
    debut = serializers.DateField(source="start_date")
    fin = serializers.DateField(source="end_date")
    prs = serializers.CharField(source="regional_health_plan")
    territoire = OpenTerritorySerializer(source="territory")
    page_publique = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = ["id", "type", "intitule", "sigle", "statut", "debut", "fin", "prs", "territoire",
                  "page_publique", "url"]  # fmt: skip

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_page_publique(self, contract) -> str:
        return self._absolute(reverse("contracts:public_detail", args=[contract.pk]))

    def get_url(self, contract) -> str:
        return self._absolute(reverse("opendata:contract-detail", args=[contract.pk]))


class OpenValueSerializer(serializers.Serializer):
    periode = serializers.CharField(source="period")
    valeur = serializers.DecimalField(source="value", max_digits=14, decimal_places=2)


class OpenIndicatorSerializer(serializers.Serializer):
    libelle = serializers.CharField(source="label")
    type = serializers.CharField(source="kind")
    unite = serializers.CharField(source="unit")
    valeurs = serializers.SerializerMethodField()

    def get_valeurs(self, indicator) -> list[dict]:
        values = self.context["values"].get(indicator.pk, [])
        return OpenValueSerializer(values, many=True).data


class OpenActionSerializer(serializers.ModelSerializer):
    axe = serializers.CharField(source="axis.title")
    intitule = serializers.CharField(source="title")
    contexte = serializers.CharField(source="context")
    descriptif = serializers.CharField(source="description")
    publics = serializers.CharField(source="target_publics")
    calendrier = serializers.CharField(source="schedule")
    debut = serializers.DateField(source="start_date")
    fin = serializers.DateField(source="end_date")
    statut = serializers.SerializerMethodField()
    porteurs = serializers.SerializerMethodField()
    partenaires = serializers.SerializerMethodField()
    indicateurs = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = ["code", "intitule", "axe", "contexte", "descriptif", "publics", "calendrier", "debut", "fin",
                  "statut", "porteurs", "partenaires", "indicateurs"]  # fmt: skip

    def get_statut(self, action) -> str:
        return str(Status(action.current_status).label)

    def get_porteurs(self, action) -> list[str]:
        return [o.name for o in action.leads]

    def get_partenaires(self, action) -> list[str]:
        return [o.name for o in action.partners]

    def get_indicateurs(self, action) -> list[dict]:
        indicators = self.context["indicators"].get(action.pk, [])
        return OpenIndicatorSerializer(indicators, many=True, context=self.context).data


class OpenContractDetailSerializer(OpenContractSerializer):
    fiches_actions = serializers.SerializerMethodField()

    class Meta(OpenContractSerializer.Meta):
        fields = [*OpenContractSerializer.Meta.fields, "fiches_actions"]

    def get_fiches_actions(self, contract) -> list[dict]:
        return OpenActionSerializer(self.context["actions"], many=True, context=self.context).data
