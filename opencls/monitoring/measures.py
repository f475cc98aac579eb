"""A value according to how its indicator is measured (issue 13).

- a number: any figure;
- a percentage: between 0 and 100;
- a count broken down by category, commune or QPV: a count (≥ 0) per key, the value being
  their total; a value without breakdown (the total only) stays possible;
- a satisfaction scale: a whole number of answers per level, the value being the share of
  satisfied answers (upper half of the scale), in %; the mean is shown beside it.

`clean_measure` is the one check; the services, forms, grid, spreadsheet and API go through it.
Keys are the labels (category, commune, QPV, level), so exports read without a lookup table.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from opencls.actions.measures import (
    BREAKDOWN_KINDS,
    PERCENT_KINDS,
    Measure,
    has_breakdown,
    satisfied_levels,
)
from opencls.actions.models import Indicator

MAX_VALUE = Decimal("999999999999.99")
CENT = Decimal("0.01")
SPACES = (" ", "\u00a0", "\u202f")


def parse_number(raw) -> Decimal | None:
    """« 12,5 », « 1 234,5 », « 12.5 », 12 or Decimal → Decimal; blank → None; else ValueError."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, Decimal | int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(str(raw))
    text = str(raw).strip()
    for space in SPACES:
        text = text.replace(space, "")
    if not text:
        return None
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(raw) from error
    if not number.is_finite():
        raise ValueError(raw)
    return number


def canonical(number: Decimal) -> str:
    """« 12 », « 12.5 »: a breakdown entry as stored (two decimals at most, no trailing zero)."""
    text = format(number.quantize(CENT, rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def territory_keys(
    territory_id, kinds=(Measure.MUNICIPALITIES, Measure.NEIGHBOURHOODS)
) -> dict[str, list[str]]:
    """The communes and QPV of a territory, by name, one query per kind asked."""
    from opencls.territories.models import Municipality, PriorityNeighbourhood

    keys = {}
    if Measure.MUNICIPALITIES in kinds:
        keys[Measure.MUNICIPALITIES] = list(
            Municipality.objects.filter(territory_id=territory_id)
            .order_by("position", "name")
            .values_list("name", flat=True)
        )
    if Measure.NEIGHBOURHOODS in kinds:
        keys[Measure.NEIGHBOURHOODS] = list(
            PriorityNeighbourhood.objects.filter(territory_id=territory_id)
            .order_by("name")
            .values_list("name", flat=True)
        )
    return keys


def measure_keys(indicator: Indicator, territory: dict | None = None) -> list[str]:
    """The keys a value of `indicator` may be broken down by (empty for a number or a %)."""
    kind = indicator.measure_kind
    if kind in (Measure.CATEGORIES, Measure.SATISFACTION):
        return list(indicator.categories or [])
    if kind in (Measure.MUNICIPALITIES, Measure.NEIGHBOURHOODS):
        if territory is None:
            territory = territory_keys(indicator.action.contract.territory_id, kinds=(kind,))
        return list(territory.get(kind, []))
    return []


def _error(message: str, field: str = "value") -> ValidationError:
    return ValidationError({field: message})


def _check_bounds(indicator: Indicator, value: Decimal) -> None:
    if not value.is_finite() or abs(value) > MAX_VALUE:
        raise _error(_("Saisissez un nombre (au plus 12 chiffres avant la virgule)."))
    if indicator.measure_kind in PERCENT_KINDS and not Decimal(0) <= value <= Decimal(100):
        raise _error(_("Un pourcentage est compris entre 0 et 100."))
    if indicator.measure_kind in BREAKDOWN_KINDS and value < 0:
        raise _error(_("Un nombre ventilé ne peut pas être négatif."))


def share_satisfied(levels: list[str], counts: dict[str, Decimal]) -> Decimal | None:
    total = sum(counts.values(), Decimal(0))
    if not total:
        return None
    satisfied = sum((counts.get(level, Decimal(0)) for level in satisfied_levels(levels)), Decimal(0))
    return (satisfied * 100 / total).quantize(CENT, rounding=ROUND_HALF_UP)


def clean_measure(
    indicator: Indicator,
    value,
    breakdown: dict | None = None,
    *,
    keys: list[str] | None = None,
    stored: dict | None = None,
) -> tuple[Decimal, dict[str, str]]:
    """(value, breakdown as stored) or a French ValidationError.

    `value` and the breakdown entries may be French text (« 12,5 »). `keys` are the allowed keys
    (default: `measure_keys`); keys of the `stored` breakdown stay accepted, so a commune renamed
    since never makes a past value unreadable."""
    breakdown = {str(k): v for k, v in (breakdown or {}).items()}
    try:
        value = parse_number(value)
    except ValueError as error:
        raise _error(_("Saisissez un nombre, par exemple 12,5.")) from error
    kind = indicator.measure_kind
    entries: dict[str, Decimal] = {}
    for key, raw in breakdown.items():
        try:
            number = parse_number(raw)
        except ValueError as error:
            raise _error(
                _("« %(raw)s » n'est pas un nombre (%(key)s).") % {"raw": raw, "key": key}, "breakdown"
            ) from error
        if number is not None:
            entries[key] = number
    if entries and not has_breakdown(kind):
        raise _error(_("Cet indicateur ne se ventile pas : saisissez une seule valeur."), "breakdown")
    if entries:
        allowed = list(keys if keys is not None else measure_keys(indicator)) + list(stored or {})
        unknown = [key for key in entries if key not in allowed]
        if unknown:
            raise _error(
                _("Catégorie inconnue pour cet indicateur : « %(key)s ».") % {"key": unknown[0]}, "breakdown"
            )
        for key, number in entries.items():
            if number < 0 or abs(number) > MAX_VALUE:
                raise _error(_("« %(key)s » : un nombre positif est attendu.") % {"key": key}, "breakdown")
            if kind == Measure.SATISFACTION and number != number.to_integral_value():
                raise _error(
                    _("« %(key)s » : un nombre entier de réponses est attendu.") % {"key": key}, "breakdown"
                )
        if kind == Measure.SATISFACTION:
            computed = share_satisfied(indicator.categories or [], entries)
            if computed is None:
                raise _error(_("Saisissez au moins une réponse."), "breakdown")
        else:
            computed = sum(entries.values(), Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)
        if value is not None and value.quantize(CENT, rounding=ROUND_HALF_UP) != computed:
            message = (
                _("La part de satisfaits (%(value)s) ne correspond pas aux réponses (%(computed)s).")
                if kind == Measure.SATISFACTION
                else _("Le total (%(value)s) ne correspond pas à la somme de la ventilation (%(computed)s).")
            )
            raise _error(message % {"value": canonical(value), "computed": canonical(computed)})
        value = computed
        order = {key: index for index, key in enumerate(allowed)}
        stored_breakdown = {
            key: canonical(entries[key]) for key in sorted(entries, key=lambda k: order.get(k, len(order)))
        }
    else:
        stored_breakdown = {}
    if value is None:
        raise _error(_("Saisissez une valeur."))
    _check_bounds(indicator, value)
    return value.quantize(CENT, rounding=ROUND_HALF_UP), stored_breakdown


# Reading ------------------------------------------------------------------------------------


@dataclass
class Summary:
    """What a value says, for pages and reports."""

    text: str  # « 12 » / « 45 % » / « 82 % de satisfaits (moyenne 3,9 / 5 ; 45 réponses) »
    parts: list[tuple[str, Decimal]]  # (key, count) in the indicator's order


def _number(value) -> str:
    """« 1 234 », « 2,5 »: as many decimals as the figure has (two at most)."""
    from django.utils.formats import number_format

    if value is None:
        return "—"
    return number_format(Decimal(canonical(Decimal(value))), force_grouping=True)


def mean_level(levels: list[str], counts: dict[str, Decimal]) -> Decimal | None:
    total = sum((counts.get(level, Decimal(0)) for level in levels), Decimal(0))
    if not total:
        return None
    score = sum((counts.get(level, Decimal(0)) * (rank + 1) for rank, level in enumerate(levels)), Decimal(0))
    return (score / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def summarise(indicator: Indicator, value: Decimal | None, breakdown: dict | None) -> Summary:
    counts = {key: Decimal(str(raw)) for key, raw in (breakdown or {}).items()}
    parts = list(counts.items())
    kind = indicator.measure_kind
    if value is None:
        return Summary("—", parts)
    if kind == Measure.SATISFACTION:
        text = _("%(share)s %% de satisfaits") % {"share": _number(value)}
        levels = indicator.categories or []
        mean = mean_level(levels, counts)
        if mean is not None:
            text += " " + _("(moyenne %(mean)s / %(max)s ; %(n)s réponses)") % {
                "mean": _number(mean),
                "max": len(levels),
                "n": _number(sum(counts.values(), Decimal(0))),
            }
        return Summary(text, parts)
    if kind == Measure.PERCENTAGE:
        return Summary(f"{_number(value)} %", parts)
    return Summary(_number(value), parts)


def breakdown_text(breakdown: dict | None) -> str:
    """« Femmes : 7 ; Hommes : 5 »."""
    return " ; ".join(f"{key} : {_number(Decimal(str(raw)))}" for key, raw in (breakdown or {}).items())


def measure_change_errors(
    old_kind: str, new_kind: str, categories: list[str], breakdowns: dict[str, dict], figures: list[Decimal]
) -> list[str]:
    """Why values (their `breakdowns` by period, and every value and target in `figures`) would
    not survive a new measure kind or new categories — a breakdown never disappears silently.
    French sentences; empty when the change is safe."""
    problems = []
    broken_down = sorted(period for period, breakdown in breakdowns.items() if breakdown)
    if broken_down and new_kind != old_kind:
        problems.append(
            _(
                "%(n)s valeur(s) sont ventilées (%(periods)s) : changer la mesure les rendrait illisibles. "
                "Supprimez ou ressaisissez d'abord ces valeurs."
            )
            % {"n": len(broken_down), "periods": ", ".join(broken_down)}
        )
    elif broken_down and new_kind in (Measure.CATEGORIES, Measure.SATISFACTION):
        used = {key for breakdown in breakdowns.values() for key in breakdown}
        removed = sorted(used - set(categories))
        if removed:
            problems.append(
                _("Catégorie(s) utilisée(s) par des valeurs déjà saisies : %(names)s. Gardez-les.")
                % {"names": ", ".join(f"« {name} »" for name in removed)}
            )
    if new_kind in PERCENT_KINDS and old_kind not in PERCENT_KINDS:
        out = [v for v in figures if not Decimal(0) <= v <= Decimal(100)]
        if out:
            problems.append(
                _(
                    "Des valeurs ou cibles sortent de 0 à 100 (%(example)s) : elles ne sont pas des pourcentages."
                )
                % {"example": _number(out[0])}
            )
    return problems


def measure_change_problems(indicator: Indicator, measure_kind: str, categories: list[str]) -> list[str]:
    """`measure_change_errors` for a stored indicator (two queries, none for a new one)."""
    from opencls.monitoring.models import IndicatorTarget, IndicatorValue

    if indicator.pk is None:
        return []
    values = list(
        IndicatorValue.objects.filter(indicator=indicator).values_list("period", "value", "breakdown")
    )
    targets = list(IndicatorTarget.objects.filter(indicator=indicator).values_list("value", flat=True))
    return measure_change_errors(
        indicator.measure_kind,
        measure_kind,
        categories,
        {period: breakdown for period, _value, breakdown in values if breakdown},
        [value for _period, value, _breakdown in values] + targets,
    )


# Spreadsheet cells ------------------------------------------------------------------------------

CELL_SEPARATOR = " ; "


def breakdown_cell(breakdown: dict | None) -> str:
    """« Femmes : 7 ; Hommes : 5,5 »: a breakdown in one cell (no grouping, French comma)."""
    return CELL_SEPARATOR.join(
        f"{key} : {canonical(Decimal(str(raw))).replace('.', ',')}" for key, raw in (breakdown or {}).items()
    )


def parse_breakdown_cell(text: str) -> dict[str, str]:
    """The inverse of `breakdown_cell`; ValueError (French) on a part without « : »."""
    parts: dict[str, str] = {}
    for chunk in (text or "").replace("\n", ";").split(";"):
        chunk = chunk.strip()
        if not chunk:
            continue
        key, colon, raw = chunk.rpartition(":")
        key = " ".join(key.split())
        if not colon or not key:
            raise ValueError(_("« %(chunk)s » : écrivez « catégorie : nombre ».") % {"chunk": chunk})
        if key in parts:
            raise ValueError(_("« %(key)s » apparaît deux fois.") % {"key": key})
        parts[key] = raw.strip()
    return parts
