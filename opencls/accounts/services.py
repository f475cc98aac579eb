from django.db import transaction
from django.utils.translation import gettext as _

from opencls.accounts.models import Organisation, User, normalise_name
from opencls.accounts.proconnect.claims import Identity, ProConnectRefusal


def organisation_match(*, name: str, siret: str = "") -> Organisation | None:
    """The organisation already known under this SIRET, else under this name (ignoring case and
    accents); the oldest one when several match."""
    if siret:
        found = Organisation.objects.filter(siret=siret).order_by("pk").first()
        if found:
            return found
    return Organisation.objects.filter(normalised_name=normalise_name(name)).order_by("pk").first()


def organisation_get_or_create(*, name: str, kind: str = "", siret: str = "") -> Organisation:
    """Find an organisation by its SIRET or its name, or create it.

    A found organisation is returned unchanged: it may be shared by other contracts, whose record
    must not move because of this one (differences are proposed, see `organisation_differences`).
    """
    name = " ".join(name.split())
    found = organisation_match(name=name, siret=siret)
    if found:
        return found
    return Organisation.objects.create(name=name, kind=kind or Organisation.Kind.OTHER, siret=siret)


def _free_username(email: str) -> str:
    base = email.lower()[:150]
    candidate, number = base, 1
    while User.objects.filter(username=candidate).exists():
        number += 1
        suffix = f"-{number}"
        candidate = base[: 150 - len(suffix)] + suffix
    return candidate


@transaction.atomic
def proconnect_sign_in(identity: Identity) -> tuple[User, list[str]]:
    """The account a ProConnect identity signs in to, and what the user must be told.

    An account is found by its e-mail (case-insensitive), else created — only for an establishment
    (SIRET) OpenCLS already knows, so that anyone holding a ProConnect identity cannot open an
    account here. Organisations are never modified, and a user's organisation is never replaced:
    it is filled only when empty, and a different SIRET is reported, not applied.
    """
    users = list(User.objects.select_related("organisation").filter(email__iexact=identity.email)[:2])
    if len(users) > 1:
        raise ProConnectRefusal(
            _(
                "Plusieurs comptes OpenCLS portent l’adresse %(email)s : un administrateur doit les "
                "distinguer avant toute connexion avec ProConnect."
            )
            % {"email": identity.email}
        )
    matches = list(Organisation.objects.filter(siret=identity.siret)[:2]) if identity.siret else []
    organisation = matches[0] if len(matches) == 1 else None
    notices = []
    if users:
        user = users[0]
        if not user.is_active:
            raise ProConnectRefusal(_("Ce compte OpenCLS est désactivé : adressez-vous à un administrateur."))
        changed = []
        if not user.first_name and identity.given_name:
            user.first_name = identity.given_name
            changed.append("first_name")
        if not user.last_name and identity.usual_name:
            user.last_name = identity.usual_name
            changed.append("last_name")
        if organisation and user.organisation_id is None:
            user.organisation = organisation
            changed.append("organisation")
            notices.append(
                _("Votre compte est désormais rattaché à %(organisation)s (SIRET %(siret)s).")
                % {"organisation": organisation, "siret": identity.siret}
            )
        elif organisation and user.organisation_id != organisation.pk:
            notices.append(
                _(
                    "Votre compte reste rattaché à %(current)s ; ProConnect vous rattache à %(organisation)s "
                    "(SIRET %(siret)s). Un administrateur peut modifier ce rattachement."
                )
                % {"current": user.organisation, "organisation": organisation, "siret": identity.siret}
            )
        elif (
            organisation is None
            and identity.siret
            and (user.organisation is None or user.organisation.siret != identity.siret)
        ):
            unknown = _(
                "L’établissement transmis par ProConnect (SIRET %(siret)s) n’est pas connu d’OpenCLS."
            )
            ambiguous = _(
                "Plusieurs organisations d’OpenCLS portent le SIRET %(siret)s transmis par ProConnect : "
                "votre rattachement reste inchangé."
            )
            notices.append((ambiguous if matches else unknown) % {"siret": identity.siret})
        if changed:
            user.save(update_fields=changed)
        return user, notices
    if organisation is None:
        if identity.siret and matches:
            reason = _("plusieurs organisations d’OpenCLS portent le SIRET %(siret)s")
        elif identity.siret:
            reason = _("votre établissement (SIRET %(siret)s) n’est pas encore connu d’OpenCLS")
        else:
            reason = _("ProConnect n’a pas transmis le SIRET de votre établissement")
        raise ProConnectRefusal(
            _(
                "Aucun compte OpenCLS n’existe pour %(email)s et %(reason)s. Demandez à la coordination "
                "de votre contrat de vous inviter, ou à un administrateur d’enregistrer votre organisation "
                "avec son SIRET, puis reconnectez-vous."
            )
            % {"email": identity.email, "reason": reason % {"siret": identity.siret}}
        )
    user = User(
        username=_free_username(identity.email),
        email=identity.email,
        first_name=identity.given_name,
        last_name=identity.usual_name,
        organisation=organisation,
    )
    user.set_unusable_password()
    user.save()
    return user, [
        _("Votre compte OpenCLS a été créé et rattaché à %(organisation)s.") % {"organisation": organisation}
    ]


ORGANISATION_COMPARED = ("kind", "siret")


def organisation_differences(organisations: list[dict]) -> list[dict]:
    """What a document says of organisations already known that differs from their record.

    `organisations` are contract-JSON entries ({"name", "kind", "siret"}); each difference is a
    proposal to show the reviewer: {"name", "organisation", "changes": [(label, known, document)]}.
    Nothing is changed."""
    proposals = []
    for entry in organisations:
        name = " ".join(entry.get("name", "").split())
        known = organisation_match(name=name, siret=entry.get("siret", ""))
        if known is None:
            continue
        changes = []
        if known.name != name:
            changes.append((Organisation._meta.get_field("name").verbose_name, known.name, name))
        for field in ORGANISATION_COMPARED:
            value = entry.get(field) or ""
            if value and value != getattr(known, field) and not (field == "kind" and value == "other"):
                model_field = Organisation._meta.get_field(field)
                shown = dict(model_field.flatchoices).get(value, value) if model_field.choices else value
                before = (
                    getattr(known, f"get_{field}_display")() if model_field.choices else getattr(known, field)
                )
                changes.append((model_field.verbose_name, before or "—", shown))
        if changes:
            proposals.append({"name": name, "organisation": known, "changes": changes})
    return proposals
