"""What a ProConnect identity says, read from the userinfo claims (unit-tested on its own)."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _


class ProConnectRefusal(Exception):
    """A ProConnect login refused for a reason the user must read (French message)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Identity:
    sub: str
    email: str
    given_name: str
    usual_name: str
    siret: str  # 14 digits, or "" when absent or malformed


def _text(claims: dict, name: str, limit: int = 150) -> str:
    value = claims.get(name)
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def _is_false(value) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() in {"false", "0", "no"})


def identity_from_claims(claims: dict) -> Identity:
    """ProConnect always sends email, given_name, usual_name, uid and siret (its "mandatory data").

    The e-mail is the professional address the identity provider vouches for: ProConnect sends no
    `email_verified` claim and recommends the e-mail for reconciling accounts. It is taken as
    verified unless a provider explicitly says `email_verified: false`, which is refused.
    """
    email = _text(claims, "email", 254)
    try:
        validate_email(email)
    except ValidationError:
        raise ProConnectRefusal(
            _("ProConnect n’a pas transmis d’adresse électronique valide : la connexion est impossible.")
        ) from None
    if _is_false(claims.get("email_verified", True)):
        raise ProConnectRefusal(
            _(
                "Votre fournisseur d’identité indique que l’adresse %(email)s n’est pas vérifiée : "
                "OpenCLS ne peut pas l’utiliser pour ouvrir ou retrouver votre compte. Faites vérifier "
                "votre adresse auprès de votre fournisseur d’identité, puis reconnectez-vous."
            )
            % {"email": email}
        )
    siret = re.sub(r"\s", "", str(claims.get("siret") or ""))
    return Identity(
        sub=_text(claims, "sub", 255),
        email=email,
        given_name=_text(claims, "given_name"),
        usual_name=_text(claims, "usual_name") or _text(claims, "family_name"),
        siret=siret if re.fullmatch(r"\d{14}", siret) else "",
    )
