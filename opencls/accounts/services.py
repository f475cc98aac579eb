from opencls.accounts.models import Organisation, normalise_name


def organisation_get_or_create(*, name: str, kind: str = "", siret: str = "") -> Organisation:
    """Find an organisation by its name, ignoring case and accents, or create it."""
    name = " ".join(name.split())
    found = Organisation.objects.filter(normalised_name=normalise_name(name)).order_by("pk").first()
    if found:
        changed = False
        if kind and found.kind == Organisation.Kind.OTHER and kind != found.kind:
            found.kind, changed = kind, True
        if siret and not found.siret:
            found.siret, changed = siret, True
        if changed:
            found.save()
        return found
    return Organisation.objects.create(name=name, kind=kind or Organisation.Kind.OTHER, siret=siret)
