"""Reads of the official geography.

Names of régions and départements come from the pinned package's small files, cached: no
query, available even before `load_territories` ran — use them anywhere (regional view,
exports, admin):

    region_name("32") == "Hauts-de-France"
    department_name("59") == "Nord"
    department_region_code("59") == "32"
    regions() == [("84", "Auvergne-Rhône-Alpes"), …]          # sorted by name
    departments(region_code="32") == [("02", "Aisne"), …]      # sorted by code
    region_code_for_name("hauts de france") == "32"

The search functions read the loaded tables (one query each).
"""

from dataclasses import dataclass
from functools import cache

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext as _

from opencls.geo.dataset import read_json
from opencls.geo.models import OfficialCommune, OfficialDataset, OfficialDepartment, OfficialEPCI
from opencls.geo.names import name_key

SEARCH_LIMIT = 20


@cache
def _regions() -> dict[str, str]:
    return {r["code"]: r["nom"] for r in read_json("regions")}


@cache
def _departments() -> dict[str, tuple[str, str]]:
    return {d["code"]: (d["nom"], d["region"]) for d in read_json("departements")}


def region_name(code: str) -> str:
    """Official name of a région from its INSEE code; "" when unknown."""
    return _regions().get(code or "", "")


def department_name(code: str) -> str:
    return _departments().get((code or "").upper(), ("", ""))[0]


def department_region_code(code: str) -> str:
    return _departments().get((code or "").upper(), ("", ""))[1]


def regions() -> list[tuple[str, str]]:
    return sorted(_regions().items(), key=lambda item: name_key(item[1]))


def departments(region_code: str | None = None) -> list[tuple[str, str]]:
    return [
        (code, name)
        for code, (name, region) in sorted(_departments().items())
        if region_code is None or region == region_code
    ]


def region_code_for_name(name: str) -> str:
    """The code of a région named in free text ("Hauts-de-France", "hauts de france"), or ""."""
    key = name_key(name)
    return next((code for code, label in _regions().items() if name_key(label) == key), "")


def department_code_for_name(name: str) -> str:
    key = name_key(name)
    return next((code for code, (label, _r) in _departments().items() if name_key(label) == key), "")


def loaded_dataset() -> OfficialDataset | None:
    return OfficialDataset.objects.filter(key="cog").first()


def is_loaded() -> bool:
    return OfficialCommune.objects.exists()


@dataclass(frozen=True)
class SearchResults:
    query: str
    epcis: list[OfficialEPCI]
    departments: list[OfficialDepartment]
    communes: list[OfficialCommune]

    @property
    def empty(self) -> bool:
        return not (self.epcis or self.departments or self.communes)


def _ranked(queryset, key: str, field: str = "normalised_name"):
    """Names starting with the key first, then containing it."""
    return queryset.filter(**{f"{field}__contains": key}).annotate(
        starts=Case(
            When(**{f"{field}__startswith": key}, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


def territory_search(query: str, *, limit: int = SEARCH_LIMIT) -> SearchResults:
    """EPCI, départements and communes matching a name or a code; three queries at most,
    `limit` of each. A 2-digit or 3-character code finds the département, a 5-character code
    the commune, a 9-digit one the EPCI."""
    query = " ".join((query or "").split())[:100]
    key = name_key(query)
    compact = query.replace(" ", "").upper()
    if len(key) < 2 and not compact.isdigit():
        return SearchResults(query, [], [], [])
    if compact.isdigit() or (len(compact) in (2, 5) and compact[:2] in ("2A", "2B")):
        epcis = list(OfficialEPCI.objects.filter(siren__startswith=compact).order_by("siren")[:limit])
        found_departments = list(OfficialDepartment.objects.filter(code=compact)[:limit])
        communes = list(
            OfficialCommune.objects.filter(code__startswith=compact).order_by("code")[:limit]
            if len(compact) >= 3
            else []
        )
        return SearchResults(query, epcis, found_departments, communes)
    epcis = list(_ranked(OfficialEPCI.objects, key).order_by("starts", "-population", "name")[:limit])
    found_departments = list(_ranked(OfficialDepartment.objects, key).order_by("starts", "code")[:limit])
    communes = list(_ranked(OfficialCommune.objects, key).order_by("starts", "-population", "code")[:limit])
    return SearchResults(query, epcis, found_departments, communes)


@dataclass(frozen=True)
class PopulationCheck:
    """One figure of the territory, as the document states it and as the official data gives it."""

    label: str
    stated: int | None  # announced by the document for the whole territory
    documented: int | None  # sum of the communes' figures written in the document
    official: int | None  # from the COG
    year: int | None = None

    @property
    def differs(self) -> bool:
        known = [v for v in (self.stated, self.documented, self.official) if v is not None]
        return len(set(known)) > 1

    @property
    def official_gap(self) -> int | None:
        """Stated (or documented) minus official, when both are known and differ."""
        reference = self.stated if self.stated is not None else self.documented
        if reference is None or self.official is None:
            return None
        return (reference - self.official) or None


def official_comparison(territory, municipalities) -> list[PopulationCheck]:
    """The document's figures beside the official ones; `municipalities` already fetched (no query)."""
    with_official = [m for m in municipalities if m.official_population is not None]
    years = sorted({m.official_population_year for m in with_official if m.official_population_year})
    documented = [m.population for m in municipalities if m.population is not None]
    return [
        PopulationCheck(
            _("Nombre de communes"),
            territory.stated_municipality_count,
            len(municipalities),
            len([m for m in municipalities if m.insee_code]),
        ),
        PopulationCheck(
            _("Population"),
            territory.stated_population,
            sum(documented) if documented else None,
            sum(m.official_population for m in with_official) if with_official else None,
            years[-1] if years else None,
        ),
    ]


def official_picker_context(request, contract, municipalities, *, error: str = "") -> dict:
    """What the territory editor's "official territory" section shows: the search (results
    computed here when the form is sent without JavaScript), the comparison, the millésime."""
    query = request.GET.get("q", "") if request.method == "GET" else ""
    return {
        "query": query,
        "results": territory_search(query) if query else None,
        "comparison": official_comparison(contract.territory, municipalities),
        "dataset": loaded_dataset(),
        "error": error,
    }
