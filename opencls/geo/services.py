"""A contract's territory chosen from the official geography (issue 16).

    plan = plan_official_territory(territory, choice="epci:200035442")   # nothing written
    plan.replacements()        # before → after, for core/confirm.py
    apply_official_territory(plan)                                        # one transaction

An EPCI or a département *replaces* the list of communes (those already entered are matched
by INSEE code or name and keep everything the document said about them; the others are
removed, shown first); communes chosen one by one are *added*. The document's figures
(`population`, the territory's `stated_*`) are never overwritten: the official population
and its year go beside them.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from opencls.core.confirm import Replacement
from opencls.geo.dataset import dataset_info
from opencls.geo.matching import match_communes
from opencls.geo.models import OfficialCommune, OfficialDepartment, OfficialEPCI
from opencls.geo.selectors import department_name, loaded_dataset, region_name
from opencls.territories.models import Municipality, Territory

MAX_COMMUNES = 200  # chosen one by one in a single request


@dataclass
class TerritoryPlan:
    territory: Territory
    kind: str  # "epci", "department", "communes"
    code: str
    official_name: str
    communes: list[OfficialCommune]  # the official communes chosen
    population_year: int | None
    updates: list[tuple[Municipality, OfficialCommune]] = field(default_factory=list)
    creates: list[OfficialCommune] = field(default_factory=list)
    deletes: list[Municipality] = field(default_factory=list)
    fields: dict = field(default_factory=dict)  # territory fields to set

    def municipality_changes(self) -> list[tuple[Municipality, dict]]:
        """Existing municipalities whose code or official population would change."""
        changes = []
        for municipality, commune in self.updates:
            values = {
                "insee_code": commune.code,
                "official_population": commune.population,
                "official_population_year": self.population_year,
            }
            if any(getattr(municipality, name) != value for name, value in values.items()):
                changes.append((municipality, values))
        return changes

    @property
    def changed(self) -> bool:
        territory_changes = any(getattr(self.territory, k) != v for k, v in self.fields.items())
        return bool(territory_changes or self.creates or self.deletes or self.municipality_changes())

    def replacements(self) -> list[Replacement]:
        year = self.population_year or "?"
        labels = {
            "official_name": _("Territoire officiel"),
            "kind": _("Type de territoire"),
            "region": _("Région"),
            "region_code": _("Code INSEE de la région"),
            "department": _("Département"),
            "department_code": _("Code INSEE du département"),
        }
        rows = [
            Replacement(labels[name], str(getattr(self.territory, name) or ""), str(value))
            for name, value in self.fields.items()
            if name in labels and getattr(self.territory, name) != value
        ]
        for municipality in self.deletes:
            consequences = _(
                "retirée du territoire, avec ses quartiers prioritaires et sa part de cofinancement"
            )
            rows.append(
                Replacement(
                    _("Commune « %(name)s »") % {"name": municipality.name},
                    f"{municipality.name} ({municipality.insee_code or _('sans code')}) — {consequences}",
                    "",
                )
            )
        for municipality, values in self.municipality_changes():
            rows.append(
                Replacement(
                    _("Commune « %(name)s »") % {"name": municipality.name},
                    _("code %(code)s, population officielle %(population)s")
                    % {
                        "code": municipality.insee_code or "—",
                        "population": municipality.official_population or "—",
                    },
                    _("code %(code)s, population officielle %(population)s (%(year)s)")
                    % {
                        "code": values["insee_code"],
                        "population": values["official_population"] or "—",
                        "year": year,
                    },
                )
            )
        for commune in self.creates:
            rows.append(
                Replacement(
                    _("Commune « %(name)s »") % {"name": commune.name},
                    "",
                    _("ajoutée : code %(code)s, population officielle %(population)s (%(year)s)")
                    % {"code": commune.code, "population": commune.population or "—", "year": year},
                )
            )
        return rows


def _population_year() -> int | None:
    loaded = loaded_dataset()
    return loaded.population_year if loaded else dataset_info().population_year


def _chosen(choice: str, commune_codes) -> tuple[str, str, str, list[OfficialCommune]]:
    kind, _sep, code = (choice or "").partition(":")
    if kind == "epci":
        epci = OfficialEPCI.objects.filter(siren=code).first()
        if epci is None:
            raise ValidationError(_("Cet EPCI n'existe pas dans la géographie officielle chargée."))
        return kind, epci.siren, epci.name, list(OfficialCommune.objects.filter(epci=epci).order_by("name"))
    if kind == "department":
        department = OfficialDepartment.objects.filter(code=code).first()
        if department is None:
            raise ValidationError(_("Ce département n'existe pas dans la géographie officielle chargée."))
        communes = list(OfficialCommune.objects.filter(department_code=department.code).order_by("name"))
        return kind, department.code, department.name, communes
    if kind == "communes":
        codes = sorted({c.strip().upper() for c in commune_codes if c and c.strip()})
        if not codes:
            raise ValidationError(_("Cochez au moins une commune à ajouter."))
        if len(codes) > MAX_COMMUNES:
            raise ValidationError(
                _("Ajoutez au plus %(max)s communes à la fois, ou choisissez leur EPCI.")
                % {"max": MAX_COMMUNES}
            )
        communes = list(OfficialCommune.objects.filter(code__in=codes).order_by("name"))
        if len(communes) != len(codes):
            raise ValidationError(
                _("Une des communes cochées n'existe pas dans la géographie officielle chargée.")
            )
        return kind, "", "", communes
    raise ValidationError(_("Choisissez un EPCI, un département ou des communes dans la liste officielle."))


def plan_official_territory(territory: Territory, *, choice: str, commune_codes=()) -> TerritoryPlan:
    """What choosing `choice` ("epci:<SIREN>", "department:<code>" or "communes" with
    `commune_codes`) would change; raises ValidationError (French) on a bad choice."""
    kind, code, official_name, communes = _chosen(choice, commune_codes)
    if not communes:
        raise ValidationError(_("Aucune commune officielle ne correspond à ce choix."))
    plan = TerritoryPlan(territory, kind, code, official_name, communes, _population_year())
    by_code = {c.code: c for c in communes}
    existing = list(Municipality.objects.filter(territory=territory).order_by("position", "pk"))
    departments = {c.department_code for c in communes}
    matches = match_communes(
        [m.name for m in existing], codes=[m.insee_code for m in existing], department_codes=departments
    )
    kept = set()
    for municipality, result in zip(existing, matches, strict=True):
        commune = by_code.get(result.commune.code) if result.matched else None
        if commune is not None and commune.code not in kept:
            kept.add(commune.code)
            plan.updates.append((municipality, commune))
        elif kind != "communes":
            plan.deletes.append(municipality)
    plan.creates = [c for c in communes if c.code not in kept]

    all_communes = communes if kind != "communes" else communes + [c for _m, c in plan.updates]
    department_code = Counter(c.department_code for c in all_communes).most_common(1)[0][0]
    region_code = Counter(c.region_code for c in all_communes).most_common(1)[0][0]
    plan.fields = {
        "official_kind": kind,
        "official_code": code,
        "official_name": official_name,
        "region_code": region_code,
        "region": region_name(region_code) or territory.region,
        "department_code": department_code,
        "department": department_name(department_code) or territory.department,
    }
    if kind == "epci":
        plan.fields["kind"] = Territory.Kind.EPCI
    if kind == "communes" and territory.official_kind in ("epci", "department") and plan.creates:
        # Communes added to an EPCI's list: the territory is no longer exactly that EPCI.
        plan.fields.update({"official_kind": "communes", "official_code": "", "official_name": ""})
    elif kind == "communes":
        plan.fields.update(
            {
                "official_kind": territory.official_kind or "communes",
                "official_code": territory.official_code,
                "official_name": territory.official_name,
            }
        )
    return plan


@transaction.atomic
def apply_official_territory(plan: TerritoryPlan) -> Territory:
    """Write the plan: territory fields, removed, completed and added communes; every change
    shows in the contract's history (bulk creation included)."""
    territory = Territory.objects.select_for_update().get(pk=plan.territory.pk)
    for name, value in plan.fields.items():
        setattr(territory, name, value)
    territory.save()
    for municipality in plan.deletes:
        municipality.delete()
    for municipality, values in plan.municipality_changes():
        for name, value in values.items():
            setattr(municipality, name, value)
        municipality.save()
    remaining = Municipality.objects.filter(territory=territory)
    taken = set(remaining.values_list("name", flat=True))
    position = (remaining.aggregate(highest=Max("position"))["highest"] or 0) + 1
    rows = []
    for offset, commune in enumerate(plan.creates):
        name = commune.name if commune.name not in taken else f"{commune.name} ({commune.code})"
        taken.add(name)
        rows.append(
            Municipality(
                territory=territory,
                name=name,
                insee_code=commune.code,
                official_population=commune.population,
                official_population_year=plan.population_year,
                position=position + offset,
            )
        )
    if rows:
        bulk_create_with_history(rows, Municipality)
    return territory
