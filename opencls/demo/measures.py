"""Demo of the indicator measure kinds (issue 13) on 004: a typology, a satisfaction scale, a
count by commune and a percentage, each with last year's value, so a newcomer sees them on the
indicator pages, the grid of « Mes fiches » and the annual report."""

from decimal import Decimal

from django.utils import timezone

from opencls.actions.measures import DEFAULT_SATISFACTION_LEVELS, Measure
from opencls.actions.models import Indicator
from opencls.monitoring import services as monitoring
from opencls.monitoring.measures import territory_keys
from opencls.monitoring.models import IndicatorValue

TYPOLOGY = ["Enfants et jeunes (moins de 18 ans)", "Adultes", "Personnes âgées (60 ans et plus)"]


def _first(indicators, *words) -> Indicator | None:
    for indicator in indicators:
        label = indicator.label.lower()
        if all(word in label for word in words):
            return indicator
    return None


def load_demo_measures(contract, coordinator) -> list[str]:
    """Idempotent: an indicator already holding a value of last year is left as it is. Returns
    what was set, for the demo command's output."""
    year = timezone.localdate().year - 1
    indicators = list(
        Indicator.objects.filter(action__contract=contract, periodicity=Indicator.Periodicity.YEAR)
        .select_related("action__contract")
        .order_by("action__axis__position", "action__position", "pk")
    )
    communes = territory_keys(contract.territory_id, kinds=(Measure.MUNICIPALITIES,))[Measure.MUNICIPALITIES]
    plan = [
        (
            _first(indicators, "typologie des personnes sensibilis"),
            Measure.CATEGORIES,
            TYPOLOGY,
            dict(zip(TYPOLOGY, ("48", "73", "21"), strict=True)),
        ),
        (
            _first(indicators, "satisfaction des personnes"),
            Measure.SATISFACTION,
            DEFAULT_SATISFACTION_LEVELS,
            dict(zip(DEFAULT_SATISFACTION_LEVELS, ("1", "3", "9", "22", "15"), strict=True)),
        ),
        (
            _first(indicators, "nombre de sessions de sensibilisation"),
            Measure.MUNICIPALITIES,
            [],
            {name: str(2 + index % 3) for index, name in enumerate(communes[:6])},
        ),
        (_first(indicators, "taux de"), Measure.PERCENTAGE, [], None),
    ]
    done, seen = [], set()
    for indicator, kind, categories, breakdown in plan:
        if indicator is None or indicator.pk in seen or (kind == Measure.MUNICIPALITIES and not breakdown):
            continue
        seen.add(indicator.pk)
        if IndicatorValue.objects.filter(indicator=indicator, year=year).exists():
            continue
        indicator.measure_kind, indicator.categories = kind, list(categories)
        indicator.save(update_fields=["measure_kind", "categories"])
        monitoring.indicator_value_set(
            user=coordinator,
            indicator=indicator,
            period_code=str(year),
            value=Decimal("64.5") if breakdown is None else None,
            breakdown=breakdown or {},
            comment="Exemple de démonstration",
        )
        done.append(f"{indicator.get_measure_kind_display()} : {indicator.label} ({year})")
    return done


def operation_only_organisation(contract):
    """An organisation leading operations of 004 but no action itself: the demo's porteur of
    operations, who fills the per-operation grid (issue 13)."""
    from opencls.actions.models import ActionOrganisation, Involvement, OperationOrganisation

    action_leads = ActionOrganisation.objects.filter(action__contract=contract, involvement=Involvement.LEAD)
    return (
        OperationOrganisation.objects.filter(
            operation__action__contract=contract, involvement=Involvement.LEAD
        )
        .exclude(organisation_id__in=action_leads.values("organisation_id"))
        .select_related("organisation")
        .order_by("operation__action__axis__position", "operation__action__position", "operation__position")
        .values_list("organisation", flat=True)
        .first()
    )
