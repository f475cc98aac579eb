from opencls.accounts.models import Organisation, normalise_name


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
