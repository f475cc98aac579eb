"""Governance: rule checks, meeting pages, amendments and versions as the contract grows.

Builds, in a throwaway SQLite database, contracts of increasing size (bodies meeting every month
for years, signatories, axes and actions), then measures:
- the governance alerts shown on every contract dashboard (time and queries);
- the meetings list page and the governance overview page;
- an amendment that adds, changes and removes actions and a signatory: preparation (snapshot),
  difference page, and the last signature that applies it in one transaction;
- the contract as it stood on a date (versions page, read from the history tables).
Prints the best of several runs, queries, and each size's ratio to the smallest, measured in this run.

    .venv/bin/python bench/governance.py
"""

import os
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="opencls-bench-governance-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORK / "media")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from opencls.accounts.models import Organisation, User  # noqa: E402
from opencls.actions.models import Action  # noqa: E402
from opencls.contracts.models import Axis, Contract, Signatory  # noqa: E402
from opencls.governance import amendments  # noqa: E402
from opencls.governance.models import (  # noqa: E402
    AgendaItem,
    Amendment,
    GovernanceBody,
    Meeting,
    SignatureState,
)
from opencls.governance.rules import governance_alerts  # noqa: E402
from opencls.governance.selectors import amendment_parties  # noqa: E402
from opencls.territories.models import Territory  # noqa: E402

settings.ALLOWED_HOSTS = ["testserver"]
PARIS = ZoneInfo("Europe/Paris")
TODAY = timezone.localdate()  # the pages judge the rules on the real date
RUNS = 5
# (years of meetings per body, signatories, actions)
SIZES = [(1, 10, 15), (5, 25, 100), (10, 50, 500)]
NO_DELIBERATION = {"number": "", "date": None, "body": "", "stated_text": ""}


def best_of(function, runs=RUNS):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def get(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return response


def queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


@transaction.atomic
def build(years: int, signatory_count: int, action_count: int) -> Contract:
    territory = Territory.objects.create(name=f"Territoire {years}-{action_count}", region="Hauts-de-France")
    start = date(TODAY.year - years + 1, 1, 10)  # meetings every month from there
    contract = Contract.objects.create(
        title=f"CLS de {action_count} fiches",
        territory=territory,
        status=Contract.Status.SIGNED,
        start_date=start,
        end_date=date(2030, 12, 31),
        regional_health_plan="PRS 2018-2030",
    )
    for index in range(signatory_count):
        organisation = Organisation.objects.create(name=f"Partie {action_count}-{index}", kind="municipality")
        signatory = Signatory.objects.create(contract=contract, organisation=organisation, position=index)
        SignatureState.objects.create(contract=contract, signatory=signatory, signed_on=start)
    bodies = [
        GovernanceBody.objects.create(contract=contract, kind=kind, name=name, min_meetings_per_year=minimum)
        for kind, name, minimum in (
            ("steering", "COPIL", 1),
            ("technical", "COTECH", 1),
            ("clsm_joint", "CLS – CLSM", 2),
            ("working_group", "GT santé mentale", 0),
        )
    ]
    bodies[0].requires_annual_evaluation = bodies[0].rotating_co_chair = True
    bodies[0].save()
    for body in bodies:
        for month in range(years * 12):
            starts = datetime(start.year + month // 12, month % 12 + 1, 15, 14, tzinfo=PARIS)
            meeting = Meeting.objects.create(contract=contract, body=body, starts_at=starts, place="Mairie")
            AgendaItem.objects.create(
                meeting=meeting, kind="evaluation" if month % 12 == 5 else "general", title="Point"
            )
    axes = [
        Axis.objects.create(contract=contract, code=str(i + 1), title=f"Axe {i + 1}", position=i)
        for i in range(4)
    ]
    for index in range(action_count):
        Action.objects.create(
            contract=contract,
            axis=axes[index % 4],
            code=f"FA {index + 1}",
            title=f"Fiche {index + 1}",
            position=index,
        )
    return contract


def amendment_round(contract: Contract, user) -> tuple[float, float, float, float]:
    """Times of: preparing, editing (4 edits), the difference page, the last signature (applying).
    The writes happen once each (measured once); the difference page is read several times."""
    started = time.perf_counter()
    amendment = amendments.amendment_create(contract, title="Avenant de mesure", user=user)
    prepared = time.perf_counter() - started
    started = time.perf_counter()
    amendments.amendment_action_add(
        amendment, axis="1", fields={"code": "FA NEW", "title": "Nouvelle", "leads": ["X"]}
    )
    amendments.amendment_action_change(
        amendment, "FA 1", axis="2", fields={"code": "FA 1", "title": "Changée"}
    )
    amendments.amendment_action_remove(amendment, "FA 2")
    amendments.amendment_signatory_add(
        amendment,
        organisation="Nouvelle partie",
        kind="other",
        representative="",
        representative_title="",
        role="",
    )
    edited = time.perf_counter() - started
    client = Client()
    client.force_login(user)
    diffed = best_of(
        lambda: get(client, reverse("governance:amendment_diff", args=[contract.pk, amendment.pk]))
    )
    amendment.refresh_from_db()
    parties = amendment_parties(amendment)
    for party in parties[:-1]:
        amendments.amendment_signature_record(
            amendment,
            party.organisation,
            signed_on=TODAY,
            signed_by="",
            deliberation_required=False,
            deliberation=NO_DELIBERATION,
            user=None,
        )
    started = time.perf_counter()
    assert amendments.amendment_signature_record(
        amendment,
        parties[-1].organisation,
        signed_on=TODAY,
        signed_by="",
        deliberation_required=False,
        deliberation=NO_DELIBERATION,
        user=None,
    )
    applied = time.perf_counter() - started
    assert Amendment.objects.get(pk=amendment.pk).status == Amendment.Status.IN_FORCE
    return prepared, edited, diffed, applied


def main():
    call_command("migrate", verbosity=0)
    user = User.objects.create_superuser("bench", "bench@example.fr", "bench-password-42")
    client = Client()
    client.force_login(user)
    rows = []
    for years, signatories, actions in SIZES:
        contract = build(years, signatories, actions)
        meetings = Meeting.objects.filter(contract=contract).count()
        alerts_time = best_of(lambda c=contract: governance_alerts(c, TODAY))
        alerts_queries = queries(lambda c=contract: governance_alerts(c, TODAY))
        list_url = reverse("governance:meetings", args=[contract.pk])
        overview_url = reverse("governance:overview", args=[contract.pk])
        list_time = best_of(lambda u=list_url: get(client, u))
        list_queries = queries(lambda u=list_url: get(client, u))
        overview_time = best_of(lambda u=overview_url: get(client, u))
        overview_queries = queries(lambda u=overview_url: get(client, u))
        prepared, edited, diffed, applied = amendment_round(contract, user)
        versions_url = reverse("governance:versions", args=[contract.pk])
        versions_time = best_of(lambda u=versions_url: get(client, u, {"date": TODAY.isoformat()}))
        versions_queries = queries(lambda u=versions_url: get(client, u, {"date": TODAY.isoformat()}))
        rows.append(
            {
                "size": f"{meetings} réunions, {signatories} parties, {actions} fiches",
                "alerts": (alerts_time, alerts_queries),
                "meetings page": (list_time, list_queries),
                "overview page": (overview_time, overview_queries),
                "versions page": (versions_time, versions_queries),
                "amendment: prepare": (prepared, None),
                "amendment: 4 edits": (edited, None),
                "amendment: diff page": (diffed, None),
                "amendment: last signature (apply)": (applied, None),
            }
        )
    base = rows[0]
    for row in rows:
        print(f"\n{row.pop('size')}")
        for name, (seconds, count) in row.items():
            ratio = seconds / base[name][0] if base[name][0] else 0
            extra = f", {count} requêtes" if count is not None else ""
            print(f"  {name:<38} {seconds * 1000:8.1f} ms{extra}  (×{ratio:.1f} / plus petit)")


if __name__ == "__main__":
    main()
