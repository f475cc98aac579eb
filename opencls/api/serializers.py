from django.utils.translation import gettext as _
from rest_framework import serializers

from opencls.actions.models import Action, Operation
from opencls.contracts.models import Axis, Contract
from opencls.core.text import normalize_text


class NormalizedModelSerializer(serializers.ModelSerializer):
    """Text written through the API is normalised like every other way in (opencls/core/text.py)."""

    def to_internal_value(self, data):
        attrs = super().to_internal_value(data)
        return {name: normalize_text(v) if isinstance(v, str) else v for name, v in attrs.items()}


class OperationSerializer(NormalizedModelSerializer):
    leads = serializers.SerializerMethodField()

    class Meta:
        model = Operation
        fields = [
            "id",
            "title",
            "description",
            "target_publics",
            "schedule",
            "start_date",
            "end_date",
            "leads",
        ]

    def get_leads(self, operation) -> list[str]:
        return [o.name for o in operation.leads]


class ActionSerializer(NormalizedModelSerializer):
    axis = serializers.CharField(source="axis.title", read_only=True)
    leads = serializers.SerializerMethodField()
    partners = serializers.SerializerMethodField()
    operations = OperationSerializer(many=True, read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "code",
            "title",
            "axis",
            "context",
            "area",
            "schedule",
            "start_date",
            "end_date",
            "target_publics",
            "leads",
            "partners",
            "operations",
        ]
        read_only_fields = ["id", "axis", "operations"]

    def get_leads(self, action) -> list[str]:
        return [o.name for o in action.leads]

    def get_partners(self, action) -> list[str]:
        return [o.name for o in action.partners]


class AxisSerializer(NormalizedModelSerializer):
    class Meta:
        model = Axis
        fields = ["id", "code", "title", "description", "position"]


class ContractSerializer(NormalizedModelSerializer):
    territory = serializers.CharField(source="territory.name", read_only=True)
    region = serializers.CharField(source="territory.region", read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "kind",
            "title",
            "short_name",
            "territory",
            "region",
            "status",
            "start_date",
            "end_date",
            "regional_health_plan",
            "is_published",
        ]
        read_only_fields = ["id", "territory", "region", "status", "is_published"]

    def validate(self, attrs):
        # A PATCH may send one date only: compare with the one already stored.
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_date": _("La date de fin doit être postérieure à la date de début.")}
            )
        return attrs
