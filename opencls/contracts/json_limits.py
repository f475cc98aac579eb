"""The entry of every contract JSON upload: bounded work before anything is parsed or validated.

    data = parse_contract_json(raw_bytes)   # ContractJsonError (French, with where) when refused

The size is checked first; then one iterative pass over the text (no recursion, linear time) finds
nesting deeper than any contract and numbers longer than any amount or year, with their path, before
`json.loads` and jsonschema (both recursive) ever see them. Nothing is written.
"""

import json
import re

from django.conf import settings

from opencls.contracts.io import ContractJsonError

MEGABYTE = 1024 * 1024
# One token of JSON: a string, a bracket or punctuation, or a number (literals need no attention).
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},:]|-?[0-9][0-9.eE+\-]*')


def max_bytes() -> int:
    return settings.OPENCLS_MAX_JSON_BYTES


def _where(stack: list[list]) -> str:
    return "/".join(str(key) for _kind, key, _expect in stack if key is not None) or "racine"


def _megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.1f} Mo".replace(".", ",")


def too_large_message(size: int) -> str:
    return (
        f"Le fichier fait {_megabytes(size)} ; la taille maximale d'un contrat JSON est de "
        f"{_megabytes(max_bytes())}. Ce fichier n'est pas un export OpenCLS."
    )


def check_structure(text: str) -> None:
    """Refuse nesting deeper than OPENCLS_MAX_JSON_DEPTH and numbers longer than
    OPENCLS_MAX_JSON_NUMBER_DIGITS characters, saying where (« contract/axes/0/… »)."""
    max_depth = settings.OPENCLS_MAX_JSON_DEPTH
    max_digits = settings.OPENCLS_MAX_JSON_NUMBER_DIGITS
    # Each open container: [kind, current key or index, whether the next string is a key].
    stack: list[list] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        top = stack[-1] if stack else None
        if first in "[{":
            if len(stack) >= max_depth:
                raise ContractJsonError(
                    [
                        f"{_where(stack)} : le document est imbriqué sur plus de {max_depth} niveaux ; "
                        "un contrat n'en a jamais autant. Ce fichier n'est pas un export OpenCLS."
                    ]
                )
            stack.append(["{", None, True] if first == "{" else ["[", 0, False])
        elif first in "]}":
            if stack:
                stack.pop()
        elif first == ",":
            if top is not None:
                if top[0] == "[":
                    top[1] += 1
                else:
                    top[2] = True
        elif first == '"':
            if top is not None and top[0] == "{" and top[2]:
                top[1], top[2] = token[1:-1][:60], False
        elif first != ":" and len(token) > max_digits:
            raise ContractJsonError(
                [
                    f"{_where(stack)} : nombre de {len(token)} caractères ; un contrat n'a pas de nombre "
                    f"de plus de {max_digits} caractères (les montants s'écrivent « 1234.50 »)."
                ]
            )


def _no_constant(name: str):
    raise ValueError(f"valeur {name} non autorisée")


def parse_contract_json(raw: bytes):
    """The decoded JSON of an uploaded contract, or ContractJsonError with French messages."""
    if len(raw) > max_bytes():
        raise ContractJsonError([too_large_message(len(raw))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContractJsonError(
            ["Le fichier n'est pas un texte UTF-8 : est-ce bien un export JSON ?"]
        ) from error
    check_structure(text)
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise ContractJsonError(
            [f"JSON invalide, ligne {error.lineno}, colonne {error.colno} : {error.msg}."]
        ) from error
    except RecursionError as error:  # kept for safety: check_structure refuses such nesting first
        raise ContractJsonError(["racine : le document est imbriqué trop profondément."]) from error
    except ValueError as error:  # NaN/Infinity, or an integer past sys.get_int_max_str_digits()
        raise ContractJsonError([f"racine : nombre invalide ({error})."]) from error
