"""The same indicator across contracts (by theme or by label), values by year; and the
contracts' diagnosis figures side by side with the région and the nation."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from opencls.actions.models import Indicator
from opencls.contracts.models import Contract, DiagnosisIndicator
from opencls.monitoring.models import IndicatorValue
from opencls.region.models import ActionTheme
from opencls.region.text import matches_all, stems, words

MAX_INDICATORS = 300
MAX_DIAGNOSIS = 500


@lru_cache(maxsize=16384)
def _label_words(label: str) -> tuple[str, ...]:
    return tuple(words(label))


@lru_cache(maxsize=16384)
def label_key(label: str) -> str:
    """Labels that differ only by case, accents, plurals or small words compare equal."""
    return " ".join(stems(label))


@dataclass
class IndicatorLine:
    contract: Contract
    indicator: Indicator
    by_year: dict[int, Decimal] = field(default_factory=dict)
    cells: list[Decimal | None] = field(default_factory=list)  # by_year in the columns' order


@dataclass
class IndicatorGroup:
    label: str
    unit: str
    lines: list[IndicatorLine] = field(default_factory=list)


def compared_indicators(
    contract_ids, *, theme_id: int | None, query: str
) -> tuple[list[int], list[IndicatorGroup]]:
    """(years, groups of indicators with the same label key), within the contracts of the scope."""
    if not theme_id and not query.strip():
        return [], []
    indicators = Indicator.objects.filter(action__contract_id__in=contract_ids).select_related(
        "action__contract__territory"
    )
    if theme_id:
        tagged = ActionTheme.objects.filter(theme_id=theme_id, contract_id__in=contract_ids).exclude(
            state=ActionTheme.State.REJECTED
        )
        indicators = indicators.filter(action__in=tagged.values("action_id"))
    terms = [word for word in words(query) if len(word) >= 2][:8]
    # Labels first (two columns), the matching indicators with their contract afterwards.
    labels = indicators.order_by("label", "pk").values_list("pk", "label")
    wanted = [pk for pk, label in labels if not terms or matches_all(_label_words(label), terms)][
        :MAX_INDICATORS
    ]
    by_pk = indicators.in_bulk(wanted)
    found = [by_pk[pk] for pk in wanted if pk in by_pk]
    totals: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, year, value in IndicatorValue.objects.filter(indicator__in=found).values_list(
        "indicator_id", "year", "value"
    ):
        totals[indicator_id][year] = totals[indicator_id].get(year, Decimal(0)) + value
    groups: dict[tuple[str, str], IndicatorGroup] = {}
    years = set()
    for indicator in found:
        key = (label_key(indicator.label), indicator.unit.casefold())
        group = groups.setdefault(key, IndicatorGroup(indicator.label, indicator.unit))
        by_year = totals.get(indicator.pk, {})
        years.update(by_year)
        group.lines.append(IndicatorLine(indicator.action.contract, indicator, by_year))
    ordered = sorted(groups.values(), key=lambda g: (-len({line.contract.pk for line in g.lines}), g.label))
    years = sorted(years)
    for group in ordered:
        for line in group.lines:
            line.cells = [line.by_year.get(year) for year in years]
    return years, ordered


@dataclass
class DiagnosisGroup:
    label: str
    unit: str
    region_value: str
    nation_value: str
    by_contract: list[DiagnosisIndicator] = field(default_factory=list)


def compared_diagnosis(contract_ids, *, query: str) -> tuple[list[Contract], list[DiagnosisGroup]]:
    """Diagnosis lines of the contracts with the same label, each contract's value in a column."""
    rows = (
        DiagnosisIndicator.objects.filter(contract_id__in=contract_ids)
        .select_related("contract")
        .only(
            "contract__title",
            "contract__short_name",
            "theme",
            "label",
            "unit",
            "territory_value",
            "year",
            "region_value",
            "nation_value",
        )
        .order_by("contract__title", "position", "pk")
    )
    terms = [word for word in words(query) if len(word) >= 2][:8]
    contracts: dict[int, Contract] = {}
    groups: dict[tuple[str, str], DiagnosisGroup] = {}
    for row in rows[: MAX_DIAGNOSIS * 4]:
        if terms and not matches_all(_label_words(f"{row.theme} {row.label}"), terms):
            continue
        key = (label_key(row.label), row.unit.casefold())
        group = groups.get(key)
        if group is None:
            if len(groups) >= MAX_DIAGNOSIS:
                continue
            group = groups[key] = DiagnosisGroup(row.label, row.unit, row.region_value, row.nation_value)
        group.region_value = group.region_value or row.region_value
        group.nation_value = group.nation_value or row.nation_value
        group.by_contract.append(row)
        contracts.setdefault(row.contract_id, row.contract)
    ordered_contracts = sorted(contracts.values(), key=lambda c: c.title)
    ordered = sorted(groups.values(), key=lambda g: (-len(g.by_contract), g.label))
    for group in ordered:
        by_id = {row.contract_id: row for row in group.by_contract}
        group.by_contract = [by_id.get(contract.pk) for contract in ordered_contracts]
    return ordered_contracts, ordered
