"""Smoke checks of a running instance's data, after an upgrade or a restore: the main pages answer
for each role and every contract's JSON export is valid against the schema.

Run with `manage.py smoke_check` (prints a JSON summary, exits non-zero on any failure)."""

import json

from django.conf import settings
from django.test import Client
from django.urls import reverse

from opencls.accounts.models import User
from opencls.contracts.io import contract_to_json, validate_contract_json
from opencls.contracts.models import Contract

ANONYMOUS_PAGES = ["contracts:public_list", "accounts:login"]
CONTRACT_PAGES = [
    "contracts:detail",
    "monitoring:dashboard",
    "monitoring:evaluation_index",
    "core:contract_history",
    "contracts:export_json",
]


def smoke_check(usernames=("coordination", "ars")) -> dict:
    failures: list[str] = []
    pages = 0
    host = next((h for h in settings.ALLOWED_HOSTS if h and not h.startswith((".", "*"))), "localhost")
    client = Client(raise_request_exception=False, HTTP_HOST=host)
    for name in ANONYMOUS_PAGES:
        response = client.get(reverse(name), secure=True)
        pages += 1
        if response.status_code != 200:
            failures.append(f"anonyme {name} : HTTP {response.status_code}")
    contracts = list(Contract.objects.order_by("pk"))
    for username in usernames:
        user = User.objects.filter(username=username).first()
        if user is None:
            failures.append(f"compte {username} absent")
            continue
        client.force_login(user)
        for name in ["core:dashboard", "api:contract-list"]:
            # An ARS reader's home is the regional view: followed, it must answer too.
            response = client.get(reverse(name), secure=True, follow=True)
            pages += 1
            if response.status_code != 200:
                failures.append(f"{username} {name} : HTTP {response.status_code}")
        for contract in contracts:
            for name in CONTRACT_PAGES:
                response = client.get(reverse(name, args=[contract.pk]), secure=True, follow=True)
                pages += 1
                if response.status_code != 200:
                    failures.append(f"{username} {name} {contract.pk} : HTTP {response.status_code}")
        client.logout()
    for contract in contracts:
        errors = validate_contract_json(json.loads(json.dumps(contract_to_json(contract), default=str)))
        if errors:
            failures.append(f"export JSON du contrat {contract.pk} invalide : {errors[:3]}")
    return {"contracts": len(contracts), "pages": pages, "failures": failures}
