"""A synthetic country for measuring OpenCLS at national scale (`generate_national`).

About 1 000 contracts over every région, each on a real EPCI of the COG (names, communes and
populations from `@etalab/decoupage-administratif`), with axes, ~20 fiches actions each,
porteurs and partners, indicators with five years of values, targets, statuses, a COPIL with
its meetings and funding lines; one ARS reader per région (`ars-<code INSEE>`) and one
coordinator per contract. Deterministic for a seed. Rows go in by bulk inserts, without
history rows: this is measurement data, not a record anyone wrote.
"""

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from opencls.accounts.models import Organisation, User, normalise_name
from opencls.actions.models import Action, ActionOrganisation, FundingLine, Indicator, Involvement
from opencls.contracts.models import Axis, Contract, ContractRole, Signatory
from opencls.governance.models import GovernanceBody, Meeting
from opencls.monitoring.models import IndicatorTarget, IndicatorValue, Status, StatusEntry
from opencls.territories.models import Municipality, Territory

COG = Path(settings.BASE_DIR) / "node_modules" / "@etalab" / "decoupage-administratif" / "data"
PASSWORD = "opencls-national"
BATCH = 5000
YEARS = [2021, 2022, 2023, 2024, 2025]

THEMES = [
    ("Accès aux soins", ["Faciliter l'accès aux droits et aux soins des publics éloignés",
                         "Attirer et installer des professionnels de santé", "Développer la médiation en santé"]),
    ("Santé mentale", ["Promouvoir la santé mentale et lutter contre la stigmatisation",
                       "Former aux premiers secours en santé mentale", "Coordonner le conseil local de santé mentale"]),
    ("Addictions", ["Prévenir les conduites addictives chez les jeunes", "Réduire les risques liés à l'alcool",
                    "Accompagner vers le sevrage tabagique"]),
    ("Nutrition et activité physique", ["Développer le sport-santé sur ordonnance",
                                        "Promouvoir une alimentation favorable à la santé"]),
    ("Santé environnement", ["Améliorer la qualité de l'air intérieur", "Lutter contre l'habitat indigne"]),
    ("Vaccination", ["Améliorer la couverture vaccinale", "Organiser des séances de vaccination de proximité"]),
    ("Dépistages", ["Augmenter la participation aux dépistages organisés des cancers",
                    "Aller vers les publics éloignés du dépistage"]),
    ("Périnatalité", ["Accompagner les parents pendant les 1000 premiers jours", "Soutenir l'allaitement"]),
    ("Vieillissement", ["Prévenir la perte d'autonomie", "Lutter contre l'isolement des personnes âgées"]),
    ("Santé des jeunes", ["Développer les compétences psychosociales", "Éduquer à la vie affective et sexuelle"]),
]  # fmt: skip
PUBLICS = ["Jeunes de 12 à 25 ans", "Personnes âgées de plus de 60 ans", "Habitants des quartiers prioritaires",
           "Familles", "Professionnels de santé et du social", "Personnes en situation de précarité"]  # fmt: skip
PORTEUR_KINDS = [
    ("Association", Organisation.Kind.ASSOCIATION), ("CPTS", Organisation.Kind.CPTS),
    ("Centre hospitalier", Organisation.Kind.HOSPITAL), ("CCAS", Organisation.Kind.MUNICIPALITY),
]  # fmt: skip


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    ars_logins: list = field(default_factory=list)


def _cog():
    regions = {r["code"]: r for r in json.loads((COG / "regions.json").read_text())}
    departments = {d["code"]: d for d in json.loads((COG / "departements.json").read_text())}
    region_of = {c["code"]: c["region"] for c in json.loads((COG / "communes.json").read_text())
                 if c.get("type") == "commune-actuelle"}  # fmt: skip
    by_region: dict[str, list] = {}
    for epci in json.loads((COG / "epci.json").read_text()):
        members = [m for m in epci["membres"] if m["code"] in region_of]
        if members:
            by_region.setdefault(region_of[members[0]["code"]], []).append({**epci, "membres": members})
    return regions, departments, by_region


def _department_code(commune_code: str) -> str:
    return commune_code[:3] if commune_code.startswith("97") else commune_code[:2]


def _bulk(model, rows, report: Report):
    created = model.objects.bulk_create(rows, batch_size=BATCH)
    report.counts[model._meta.verbose_name_plural] = report.counts.get(
        model._meta.verbose_name_plural, 0
    ) + len(rows)
    return created


@transaction.atomic
def generate(contracts: int = 1000, seed: int = 1, say=print) -> Report:
    if User.objects.filter(username__startswith="coord-national-").exists():
        raise ValueError("Les données nationales sont déjà générées dans cette base.")
    rng = random.Random(seed)
    report = Report()
    regions, departments, by_region = _cog()
    region_codes = sorted(code for code in by_region if code in regions)
    password = make_password(PASSWORD)
    # One ARS per région, its reader, and a pool of porteurs per département.
    ars = _bulk(Organisation, [
        Organisation(name=f"ARS {regions[c]['nom']}", normalised_name=normalise_name(f"ARS {regions[c]['nom']}"),
                     kind=Organisation.Kind.ARS, region=regions[c]["nom"]) for c in region_codes
    ], report)  # fmt: skip
    ars_by_region = dict(zip(region_codes, ars, strict=True))
    _bulk(User, [
        User(username=f"ars-{c}", password=password, first_name="ARS", last_name=regions[c]["nom"],
             organisation=ars_by_region[c], ars_region_code=c) for c in region_codes
    ], report)  # fmt: skip
    report.ars_logins = [f"ars-{c} ({regions[c]['nom']})" for c in region_codes]
    # Contracts spread over the régions in turn, each on an EPCI not used yet in its région.
    for epcis in by_region.values():
        rng.shuffle(epcis)
    picks = []
    cursor = dict.fromkeys(region_codes, 0)
    for index in range(contracts):
        region = region_codes[index % len(region_codes)]
        epcis = by_region[region]
        picks.append((region, epcis[cursor[region] % len(epcis)]))
        cursor[region] += 1
    porteurs: dict[str, list[Organisation]] = {}
    rows = []
    for _region, epci in picks:
        department = _department_code(epci["membres"][0]["code"])
        if department in porteurs:
            continue
        porteurs[department] = []
        for label, kind in PORTEUR_KINDS:
            for n in range(3):
                name = f"{label} {departments.get(department, {}).get('nom', department)} {n + 1}"
                organisation = Organisation(name=name, normalised_name=normalise_name(name), kind=kind)
                porteurs[department].append(organisation)
                rows.append(organisation)
    _bulk(Organisation, rows, report)
    epci_orgs = _bulk(Organisation, [
        Organisation(name=f"{epci['nom']} ({index})", normalised_name=normalise_name(f"{epci['nom']} ({index})"),
                     kind=Organisation.Kind.EPCI) for index, (_r, epci) in enumerate(picks)
    ], report)  # fmt: skip
    territories = _bulk(Territory, [
        Territory(name=epci["nom"], kind=Territory.Kind.EPCI, region=regions[region]["nom"],
                  department=departments.get(_department_code(epci["membres"][0]["code"]), {}).get("nom", ""),
                  region_code=region, department_code=_department_code(epci["membres"][0]["code"]),
                  stated_population=epci.get("populationTotale"), stated_municipality_count=len(epci["membres"]))
        for region, epci in picks
    ], report)  # fmt: skip
    _bulk(Municipality, [
        Municipality(territory=territory, name=member["nom"], insee_code=member["code"],
                     population=member.get("populationMunicipale"), population_year=2021, position=position)
        for territory, (_r, epci) in zip(territories, picks, strict=True)
        for position, member in enumerate(epci["membres"])
    ], report)  # fmt: skip
    today = timezone.localdate()
    contract_rows = []
    for index, (territory, (region, epci)) in enumerate(zip(territories, picks, strict=True)):
        start = date(rng.choice([2019, 2020, 2021, 2022, 2023, 2024]), 1, 1)
        end = date(start.year + rng.choice([3, 4, 5]), 12, 31)
        status = (Contract.Status.ENDED if end < today else
                  Contract.Status.IN_FORCE if rng.random() < 0.8 else Contract.Status.SIGNED)  # fmt: skip
        if rng.random() < 0.08:
            status = Contract.Status.DRAFT
        contract_rows.append(Contract(
            kind=rng.choice([Contract.Kind.CLS] * 6 + [Contract.Kind.CLSI, Contract.Kind.CLSM]),
            title=f"Contrat local de santé — {epci['nom']}", short_name=f"CLS-{index + 1:04d}", territory=territory,
            start_date=start, end_date=end, status=status, is_published=status != Contract.Status.DRAFT and rng.random() < 0.7,
            regional_health_plan=f"PRS {regions[region]['nom']} 2018-2028",
        ))  # fmt: skip
    all_contracts = _bulk(Contract, contract_rows, report)
    coordinators = _bulk(User, [
        User(username=f"coord-national-{index + 1:04d}", password=password, first_name="Coordination",
             last_name=contract.short_name, organisation=epci_orgs[index])
        for index, contract in enumerate(all_contracts)
    ], report)  # fmt: skip
    _bulk(ContractRole, [
        ContractRole(contract=contract, user=user, role=ContractRole.Role.COORDINATOR)
        for contract, user in zip(all_contracts, coordinators, strict=True)
    ], report)  # fmt: skip
    _bulk(Signatory, [
        Signatory(contract=contract, organisation=organisation, position=position)
        for contract, (region, _e), epci_org in zip(all_contracts, picks, epci_orgs, strict=True)
        for position, organisation in enumerate([ars_by_region[region], epci_org])
    ], report)  # fmt: skip
    say(f"{len(all_contracts)} contrats, {len(territories)} territoires…")
    axes, actions = [], []
    for contract in all_contracts:
        themes = rng.sample(THEMES, rng.randint(3, 5))
        for position, (theme, _titles) in enumerate(themes):
            axes.append(Axis(contract=contract, code=str(position + 1), title=theme, position=position))
    axes = _bulk(Axis, axes, report)
    axes_by_contract: dict[int, list[Axis]] = {}
    for axis in axes:
        axes_by_contract.setdefault(axis.contract_id, []).append(axis)
    titles = dict(THEMES)
    for contract in all_contracts:
        contract_axes = axes_by_contract[contract.pk]
        for number in range(rng.randint(14, 26)):
            axis = contract_axes[number % len(contract_axes)]
            title = rng.choice(titles[axis.title])
            actions.append(Action(
                contract=contract, axis=axis, code=f"FA {axis.code}.{number // len(contract_axes) + 1}",
                title=title, description=f"{title} : actions de proximité menées avec les partenaires du territoire.",
                target_publics=rng.choice(PUBLICS), schedule=f"{contract.start_date.year}-{contract.end_date.year}",
                start_date=contract.start_date, end_date=contract.end_date, position=number,
                is_public=rng.random() < 0.9,
            ))  # fmt: skip
    actions = _bulk(Action, actions, report)
    say(f"{len(actions)} fiches actions…")
    department_of = {c.pk: t.department_code for c, t in zip(all_contracts, territories, strict=True)}
    involvements, statuses, funding, indicators = [], [], [], []
    for action in actions:
        pool = porteurs[department_of[action.contract_id]]
        lead, partner = rng.sample(pool, 2)
        involvements += [
            ActionOrganisation(action=action, organisation=lead, involvement=Involvement.LEAD, position=0),
            ActionOrganisation(
                action=action, organisation=partner, involvement=Involvement.PARTNER, position=1
            ),
        ]
        statuses.append(StatusEntry(
            contract_id=action.contract_id, action=action, date=date(2025, rng.randint(1, 12), 1),
            status=rng.choice([Status.NOT_STARTED, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.DONE]),
        ))  # fmt: skip
        funding.append(FundingLine(action=action, funder=lead, kind=FundingLine.Kind.OTHER, year=2025,
                                   planned_amount=rng.randrange(1000, 50000, 500)))  # fmt: skip
        for kind in (Indicator.Kind.PROCESS, Indicator.Kind.RESULT):
            indicators.append(Indicator(action=action, kind=kind, label=f"Nombre de personnes touchées ({kind})",
                                        unit="personnes", is_public=kind == Indicator.Kind.RESULT))  # fmt: skip
    _bulk(ActionOrganisation, involvements, report)
    _bulk(StatusEntry, statuses, report)
    _bulk(FundingLine, funding, report)
    indicators = _bulk(Indicator, indicators, report)
    contract_of_action = {a.pk: a.contract_id for a in actions}
    values, targets = [], []
    for indicator in indicators:
        base = rng.randint(10, 400)
        contract_id = contract_of_action[indicator.action_id]
        for offset, year in enumerate(YEARS):
            values.append(IndicatorValue(contract_id=contract_id, indicator=indicator, year=year, period=str(year),
                                         value=base + offset * rng.randint(0, 30)))  # fmt: skip
        targets.append(IndicatorTarget(contract_id=contract_id, indicator=indicator, year=2025, period="2025",
                                       value=base + 100))  # fmt: skip
    _bulk(IndicatorValue, values, report)
    _bulk(IndicatorTarget, targets, report)
    bodies = _bulk(GovernanceBody, [
        GovernanceBody(contract=contract, kind=GovernanceBody.Kind.STEERING, name="Comité de pilotage")
        for contract in all_contracts
    ], report)  # fmt: skip
    _bulk(Meeting, [
        Meeting(contract_id=body.contract_id, body=body, title=f"COPIL {year}",
                starts_at=timezone.make_aware(datetime.combine(date(year, rng.randint(2, 11), 15), time(14))))
        for body in bodies for year in (2024, 2025)
    ], report)  # fmt: skip
    # The public page and the open data of each published contract: its first published version.
    from opencls.publication.services import publish_version

    published = [contract for contract in all_contracts if contract.is_published]
    for index, contract in enumerate(published, start=1):
        publish_version(contract)
        if index % 200 == 0:
            say(f"{index} / {len(published)} versions publiées…")
    report.counts["versions publiées"] = len(published)
    return report
