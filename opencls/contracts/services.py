from django.db import transaction

from opencls.contracts.io import contract_from_json
from opencls.contracts.json_limits import parse_contract_json
from opencls.contracts.models import Contract, ContractRole
from opencls.territories.models import Territory


@transaction.atomic
def contract_create(*, user, territory_name: str, territory_kind: str, region: str, **fields) -> Contract:
    territory = Territory.objects.create(name=territory_name, kind=territory_kind, region=region)
    contract = Contract.objects.create(territory=territory, **fields)
    ContractRole.objects.create(contract=contract, user=user, role=ContractRole.Role.COORDINATOR)
    return contract


def contract_load_json_bytes(raw: bytes, *, user=None) -> Contract:
    """Load an uploaded JSON file; every failure becomes a ContractJsonError in French."""
    data = parse_contract_json(raw)  # size, nesting and numbers bounded before parsing
    return contract_from_json(data, user=user)
