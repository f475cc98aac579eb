"""The "documents" section of the contract JSON (`extensions.documents`): the contract's article
texts, so an export carries them and every version kept with an amendment (ContractVersion
snapshot) shows the articles as they were."""

import jsonschema

from opencls.contracts.io import ContractJsonError, JsonExtension, french_schema_error, save_validated
from opencls.contracts.models import Contract
from opencls.documents.models import ContractArticle

KEY = "documents"
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "articles": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "number", "title", "body"],
                "additionalProperties": False,
                "properties": {
                    "key": {"type": "string", "pattern": "^[-a-zA-Z0-9_]{1,40}$"},
                    "number": {"type": "string", "minLength": 1, "maxLength": 20},
                    "title": {"type": "string", "minLength": 1, "maxLength": 300},
                    "body": {"type": "string", "minLength": 1},
                },
            },
        }
    },
}


def documents_dump(contract: Contract) -> dict:
    articles = [
        {"key": a.key, "number": a.number, "title": a.title, "body": a.body}
        for a in ContractArticle.objects.filter(contract=contract)
    ]
    return {"articles": articles} if articles else {}


def documents_load(contract: Contract, value) -> None:
    """Runs inside contract_from_json's transaction: any error undoes the whole import."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = [f"extensions/{KEY}/{french_schema_error(e)}" for e in validator.iter_errors(value)]
    keys = [item["key"] for item in value.get("articles", [])] if not errors else []
    if len(keys) != len(set(keys)):
        errors.append(f"extensions/{KEY}/articles : deux articles portent la même clé.")
    if errors:
        raise ContractJsonError(errors)
    for position, item in enumerate(value.get("articles", []), start=1):
        save_validated(
            ContractArticle(contract=contract, position=position, **item),
            f"extensions/{KEY}/articles/{position - 1}",
        )


DOCUMENTS_JSON = JsonExtension(KEY, documents_dump, documents_load)
