"""The diagnosis' care supply, narrative sections and baselines in the contract JSON
(extension "diagnosis"); the figures themselves are in the JSON's core ("diagnosis")."""

from decimal import Decimal

from opencls.actions.models import Indicator
from opencls.contracts.io import ContractJsonError, JsonExtension, save_validated
from opencls.diagnosis.models import CareSupply, DiagnosisSection

KEY = "diagnosis"
SUPPLY_FIELDS = ("kind", "label", "count", "year", "source")
DENSITIES = ("department_density", "region_density", "nation_density")


def _action_ref(action) -> str:
    return action.code or action.title


def diagnosis_dump(contract):
    figures = {
        pk: index for index, pk in enumerate(contract.diagnosis_indicators.values_list("pk", flat=True))
    }
    baselines = [
        {"figure": figures[i.baseline_id], "action": _action_ref(i.action), "indicator": i.label}
        for i in Indicator.objects.filter(action__contract=contract, baseline__isnull=False)
        .select_related("action")
        .order_by("action__axis__position", "action__position", "action__pk", "kind", "position", "pk")
    ]
    data = {
        "care_supply": [
            {
                **{name: getattr(row, name) for name in SUPPLY_FIELDS},
                **{
                    name: None if getattr(row, name) is None else f"{getattr(row, name):.2f}"
                    for name in DENSITIES
                },
            }
            for row in CareSupply.objects.filter(contract=contract)
        ],
        "sections": [
            {"title": s.title, "body": s.body} for s in DiagnosisSection.objects.filter(contract=contract)
        ],
        "baselines": baselines,
    }
    return {key: value for key, value in data.items() if value}


def diagnosis_load(contract, data) -> None:
    where = f"extensions/{KEY}"
    if not isinstance(data, dict):
        raise ContractJsonError([f"{where} : un objet est attendu."])
    for position, row in enumerate(data.get("care_supply", []), start=1):
        try:
            densities = {
                name: None if row.get(name) is None else Decimal(str(row[name])) for name in DENSITIES
            }
        except ArithmeticError as error:
            raise ContractJsonError([f"{where}/care_supply/{position - 1} : densité illisible."]) from error
        save_validated(
            CareSupply(
                contract=contract,
                position=position,
                **{name: row.get(name, None if name == "count" else "") for name in SUPPLY_FIELDS},
                **densities,
            ),
            f"{where}/care_supply/{position - 1}",
        )
    for position, section in enumerate(data.get("sections", []), start=1):
        save_validated(
            DiagnosisSection(
                contract=contract,
                position=position,
                title=section.get("title", ""),
                body=section.get("body", ""),
            ),
            f"{where}/sections/{position - 1}",
        )
    baselines = data.get("baselines", [])
    if baselines:
        figures = list(contract.diagnosis_indicators.all())
        indicators = {}
        for indicator in Indicator.objects.filter(action__contract=contract).select_related("action"):
            indicators.setdefault((_action_ref(indicator.action), indicator.label), indicator)
        for index, link in enumerate(baselines):
            indicator = indicators.get((link.get("action"), link.get("indicator")))
            figure = link.get("figure")
            if indicator is None or not isinstance(figure, int) or not 0 <= figure < len(figures):
                raise ContractJsonError(
                    [f"{where}/baselines/{index} : l'indicateur ou le chiffre du diagnostic est introuvable."]
                )
            indicator.baseline = figures[figure]
            indicator.save(update_fields=["baseline"])


DIAGNOSIS_JSON = JsonExtension(KEY, diagnosis_dump, diagnosis_load)
