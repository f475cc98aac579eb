import json

from django.db import transaction

from opencls.contracts.io import ContractJsonError, contract_from_json
from opencls.contracts.models import Contract, ContractRole
from opencls.territories.models import Territory


@transaction.atomic
def contract_create(*, user, territory_name: str, territory_kind: str, region: str, **fields) -> Contract:
    territory = Territory.objects.create(name=territory_name, kind=territory_kind, region=region)
    contract = Contract.objects.create(territory=territory, **fields)
    ContractRole.objects.create(contract=contract, user=user, role=ContractRole.Role.COORDINATOR)
    return contract


def contract_set_published(*, contract: Contract, published: bool) -> None:
    contract.is_published = published
    contract.save(update_fields=["is_published"])


def contract_load_json_bytes(raw: bytes, *, user=None) -> Contract:
    """Load an uploaded JSON file; every failure becomes a ContractJsonError in French."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ContractJsonError(
            ["Le fichier n'est pas un texte UTF-8 : est-ce bien un export JSON ?"]
        ) from error
    except json.JSONDecodeError as error:
        raise ContractJsonError(
            [f"JSON invalide, ligne {error.lineno}, colonne {error.colno} : {error.msg}."]
        ) from error
    return contract_from_json(data, user=user)
