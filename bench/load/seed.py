"""Data set for the load test: the demo plus copies of its contracts, through the contract JSON.

Each copy is the JSON export of a demo contract with a new title and territory name, loaded by
`contract_from_json` (the one loader), with the demo coordinator as its coordinator; one copy in
two is published. Idempotent: counts what is there and adds only what is missing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencls_load .venv/bin/python bench/load/seed.py 300
"""

import copy
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from opencls.accounts.models import User  # noqa: E402
from opencls.contracts.io import contract_from_json, contract_queryset, contract_to_json  # noqa: E402
from opencls.contracts.models import Contract, ContractRole  # noqa: E402


def seed(total: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    demo = list(contract_queryset().order_by("pk")[:2])
    templates = [contract_to_json(c) for c in demo]
    coordinator = User.objects.get(username="coordination")
    have = Contract.objects.count()
    started = time.perf_counter()
    for index in range(have, total):
        data = copy.deepcopy(templates[index % len(templates)])
        c = data["contract"]
        c["title"] = f"{c['title']} — copie {index:04d}"
        c["territory"]["name"] = f"{c['territory']['name']} {index:04d}"
        c["is_published"] = index % 2 == 0
        contract_from_json(data, user=coordinator)
        if index % 25 == 0:
            print(f"{index}/{total} contrats ({time.perf_counter() - started:.0f} s)", flush=True)
    # The demo porteur leads actions in every copy of the contract it leads in the demo.
    for role in (
        ContractRole.objects.filter(contract__in=demo).exclude(user=coordinator).select_related("user")
    ):
        print(f"compte {role.user.username} : {role.get_role_display()} sur {role.contract_id}")
    print(f"{Contract.objects.count()} contrats en base.")


if __name__ == "__main__":
    seed(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
