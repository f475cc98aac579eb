"""API of the indicator values of a contract: read, and write through the monitoring rules
(permissions of the matrix, periods, locked years)."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from opencls.accounts.permissions import get_contract_or_404
from opencls.actions.models import Indicator
from opencls.campaigns.locks import PeriodLocked
from opencls.monitoring import services as monitoring
from opencls.monitoring.models import IndicatorValue


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator = serializers.IntegerField(source="indicator_id")
    # Optional for a broken-down indicator: the total is computed from the breakdown.
    value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    breakdown = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="Nombre par catégorie, commune, QPV ou niveau de satisfaction (clé : son libellé).",
    )

    class Meta:
        model = IndicatorValue
        fields = ["id", "indicator", "period", "year", "value", "breakdown", "comment"]
        read_only_fields = ["id", "year"]


class IndicatorValueList(generics.ListCreateAPIView):
    """GET: the contract's values (`?annee=2025` for one year). POST: enter or correct one value."""

    serializer_class = IndicatorValueSerializer

    def contract(self):
        return get_contract_or_404(self.request.user, self.kwargs["pk"])

    def get_queryset(self):
        values = IndicatorValue.objects.filter(contract=self.contract()).order_by("indicator_id", "period")
        year = self.request.query_params.get("annee", "")
        return values.filter(year=int(year)) if year.isdigit() else values

    def create(self, request, *args, **kwargs):
        contract = self.contract()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        indicator = get_object_or_404(
            Indicator.objects.select_related("action"), pk=data["indicator_id"], action__contract=contract
        )
        indicator.action.contract = contract
        try:
            value = monitoring.indicator_value_set(
                user=request.user,
                indicator=indicator,
                period_code=data["period"],
                value=data.get("value"),
                breakdown=data.get("breakdown") or {},
                comment=data.get("comment", ""),
            )
        except PeriodLocked as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
            return Response(detail, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(value).data, status=status.HTTP_201_CREATED)
