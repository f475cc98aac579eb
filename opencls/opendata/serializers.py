"""Open data in French field names; contracts as the list reads them, details from the snapshot."""

from django.urls import reverse
from rest_framework import serializers

from opencls.opendata.selectors import public_actions
from opencls.publication.selectors import participation


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


class OpenTargetSerializer(serializers.Serializer):
    periode = serializers.CharField(source="period")
    valeur = serializers.CharField(source="value")


class OpenValueSerializer(OpenTargetSerializer):
    ventilation = serializers.DictField(
        source="breakdown",
        child=serializers.CharField(),
        default=dict,
        help_text="Décompte par catégorie, commune, QPV ou niveau de satisfaction (vide sinon).",
    )


class OpenIndicatorSerializer(serializers.Serializer):
    libelle = serializers.CharField(source="label")
    type = serializers.CharField(source="kind")
    unite = serializers.CharField(source="unit")
    mesure = serializers.CharField(
        source="measure_kind",
        default="number",
        help_text="number, percentage, categories, municipalities, neighbourhoods ou satisfaction.",
    )
    categories = serializers.ListField(child=serializers.CharField(), default=list)
    valeurs = OpenValueSerializer(source="values", many=True)
    cibles = OpenTargetSerializer(source="targets", many=True)


class OpenThemeSerializer(serializers.Serializer):
    code = serializers.CharField()
    libelle = serializers.CharField(source="label")


class OpenQpvSerializer(serializers.Serializer):
    nom = serializers.CharField(source="name")
    code = serializers.CharField()


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
    thematiques = OpenThemeSerializer(source="themes", many=True, help_text="Thèmes confirmés.")
    qpv = OpenQpvSerializer(
        many=True, help_text="Quartiers prioritaires servis (par la fiche ou une opération)."
    )
    tout_le_territoire = serializers.BooleanField(source="serves_whole_territory")
    niveau_participation = serializers.CharField(source="participation_label", allow_null=True)


class OpenQpvRowSerializer(serializers.Serializer):
    nom = serializers.CharField(source="name")
    code = serializers.CharField(default="")
    population = serializers.IntegerField(allow_null=True, default=None)
    annee_population = serializers.IntegerField(source="population_year", allow_null=True, default=None)


class OpenEventSerializer(serializers.Serializer):
    intitule = serializers.CharField(source="title")
    type = serializers.CharField(source="kind")
    date = serializers.CharField(allow_null=True)
    date_texte = serializers.CharField(source="date_text")
    lieu = serializers.CharField(source="place")
    participants = serializers.IntegerField(source="participant_count", allow_null=True)
    ce_qui_a_change = serializers.CharField(source="what_changed")


class OpenContractDetailSerializer(OpenContractSerializer):
    fiches_actions = serializers.SerializerMethodField()
    quartiers_prioritaires = serializers.SerializerMethodField()
    temps_participation = serializers.SerializerMethodField()
    instances_participatives = serializers.SerializerMethodField()

    def get_fiches_actions(self, contract) -> OpenActionSerializer(many=True):
        return OpenActionSerializer(public_actions(self.context["snapshot"]), many=True).data

    def get_quartiers_prioritaires(self, contract) -> OpenQpvRowSerializer(many=True):
        territory = self.context["snapshot"].get("contract", {}).get("territory") or {}
        return OpenQpvRowSerializer(territory.get("neighbourhoods", []), many=True).data

    def get_temps_participation(self, contract) -> OpenEventSerializer(many=True):
        return OpenEventSerializer(participation(self.context["snapshot"])["events"], many=True).data

    def get_instances_participatives(self, contract) -> list[str]:
        return [body["name"] for body in participation(self.context["snapshot"])["bodies"]]
