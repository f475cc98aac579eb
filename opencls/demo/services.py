"""The demo: the two seed contracts, loaded through the document importer, and one user per role."""

from pathlib import Path

from django.db import transaction

from opencls.accounts.models import Organisation, User
from opencls.accounts.services import organisation_get_or_create
from opencls.contracts.models import Contract, ContractRole
from opencls.demo.models import DemoContract

SEEDS = Path(__file__).resolve().parent / "seeds"
SEED_CONTRACTS = ["003_cls_lens_lievin.txt", "004_clsi_marque_melantois.txt"]
COFINANCED_SEED = "004_clsi_marque_melantois.txt"
DEMO_PASSWORD = "opencls-demo"
REGION = "Hauts-de-France"
REGION_CODE = "32"  # INSEE code of Hauts-de-France
# Lens-Liévin lies in the Pas-de-Calais (62), la Marque et le Mélantois in the Nord (59).
SEED_DEPARTMENT_CODES = {"003_cls_lens_lievin.txt": "62", "004_clsi_marque_melantois.txt": "59"}


def _user(
    username: str, *, first_name: str, last_name: str, organisation: Organisation | None, **extra
) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@demo.opencls.fr",
            "organisation": organisation,
            **extra,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _lead_organisation(contract: Contract) -> Organisation | None:
    """An organisation, other than the coordination, that leads one of the contract's actions or operations."""
    from opencls.actions.models import ActionOrganisation, Involvement, OperationOrganisation

    for model, scope in (
        (OperationOrganisation, "operation__action__contract"),
        (ActionOrganisation, "action__contract"),
    ):
        found = (
            model.objects.filter(**{scope: contract, "involvement": Involvement.LEAD})
            .exclude(organisation__name__icontains="coordination")
            .select_related("organisation")
            .order_by("pk")
            .first()
        )
        if found:
            return found.organisation
    # Every action led by the coordination (003): its porteur login is then the coordination's.
    found = (
        ActionOrganisation.objects.filter(action__contract=contract, involvement=Involvement.LEAD)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    if found:
        return found.organisation
    # No porteur named in the document (003): a signatory leads the first fiche for the demo.
    action = contract.actions.order_by("pk").first()
    signatory = contract.signatories.exclude(organisation__kind=Organisation.Kind.ARS).order_by("pk").first()
    if action is None or signatory is None:
        return None
    ActionOrganisation.objects.get_or_create(
        action=action, organisation=signatory.organisation, involvement=Involvement.LEAD
    )
    return signatory.organisation


def _load_extras(contract: Contract, filename: str, coordinator: User) -> None:
    """What the seed says beyond the plan: the deliberations (Willems' still a placeholder in
    004) and, for 004, the co-financing table as signed."""
    from opencls.finance.services import DEMO_COFINANCING_FILE, load_demo_cofinancing
    from opencls.governance.deliberations import parse_deliberations
    from opencls.governance.services import deliberations_record_parsed

    text = (SEEDS / filename).read_text(encoding="utf-8")
    deliberations_record_parsed(contract, parse_deliberations(text), user=coordinator)
    if filename == COFINANCED_SEED:
        load_demo_cofinancing(contract, DEMO_COFINANCING_FILE)


def _load_demo_publication(contract, coordinator, say) -> None:
    """Issue 14: a published version of the citizen page, with one answered question."""
    from opencls.publication.demo import load_demo_publication

    if version := load_demo_publication(contract, coordinator):
        say(f"Page publique : version {version.number} publiée pour {contract}\n")


def _load_demo_measures(contract: Contract, coordinator: User, say) -> list[tuple[str, str]]:
    from opencls.demo.measures import load_demo_measures, operation_only_organisation

    for line in load_demo_measures(contract, coordinator):
        say(f"Exemple de mesure : {line}\n")
    organisation_id = operation_only_organisation(contract)
    if organisation_id is None:
        return []
    organisation = Organisation.objects.get(pk=organisation_id)
    slug = f"porteur-operations-{contract.pk}"
    user = _user(slug, first_name="Morgan", last_name="Opérations", organisation=organisation)
    ContractRole.objects.get_or_create(contract=contract, user=user, role=ContractRole.Role.LEAD)
    return [(slug, f"porteur d'opérations ({organisation.name}) sur « {contract} » : saisie par opération")]


def _load_region_demo(contract: Contract, say) -> None:
    """Issue 16: the themes of the seeds' actions, suggested from their text."""
    from opencls.region.demo import load_demo_region

    load_demo_region(contract, say)


def _load_official_geography(say) -> None:
    """The COG (issue 16), before the seeds so that their communes get their INSEE codes."""
    from django.conf import settings

    from opencls.geo.dataset import dataset_info
    from opencls.geo.loader import load_territories
    from opencls.geo.selectors import loaded_dataset

    # Tests load only the seeds' départements (settings.OPENCLS_DEMO_COG_DEPARTMENTS), in a second.
    departments = getattr(settings, "OPENCLS_DEMO_COG_DEPARTMENTS", None)
    loaded = loaded_dataset()
    if (
        loaded
        and loaded.version == dataset_info().version
        and not loaded.departments_filter
        and not departments
    ):
        say(f"Géographie officielle déjà chargée : COG {loaded.cog_year} ({loaded.version})\n")
        return
    report = load_territories(departments=departments)
    say(f"Géographie officielle : {report.lines()[-1]}\n")


def _demo_ars_scopes(ars: Organisation) -> None:
    """The regional reader (région 32) and a délégation départementale du Nord (59)."""
    for username, last_name, scope in (
        ("ars", "Délégation ARS", {"ars_region_code": REGION_CODE, "ars_department_codes": []}),
        (
            "ars-dd59",
            "Délégation départementale du Nord",
            {"ars_region_code": "", "ars_department_codes": ["59"]},
        ),
    ):
        user = _user(username, first_name="Alex", last_name=last_name, organisation=ars, **scope)
        if any(getattr(user, field) != value for field, value in scope.items()):
            User.objects.filter(pk=user.pk).update(**scope)  # a demo loaded before issue 16


@transaction.atomic
def load_demo(stdout=None) -> list[tuple[str, str]]:
    """Idempotent: contracts already loaded are left as they are. Returns the logins to print."""
    from opencls.imports.services import import_document

    say = stdout.write if stdout else (lambda _msg: None)
    _load_official_geography(say)
    ars = organisation_get_or_create(
        name="Agence Régionale de Santé Hauts-de-France", kind=Organisation.Kind.ARS
    )
    coordinator = _user(
        "coordination",
        first_name="Camille",
        last_name="Coordinatrice",
        organisation=ars,
        can_create_contracts=True,
    )
    _demo_ars_scopes(ars)
    _user(
        "admin", first_name="Admin", last_name="OpenCLS", organisation=ars, is_staff=True, is_superuser=True
    )
    # A signatory (an elected official: reads, decides in COPIL) and a member of the contracts.
    signatory = _user("signataire", first_name="Claude", last_name="Élue", organisation=None)
    member = _user("membre", first_name="Sacha", last_name="Partenaire", organisation=None)
    logins = [
        ("coordination", "coordinatrice des deux contrats de démonstration"),
        ("ars", f"agent ARS : lit tous les contrats de la région {REGION} ({REGION_CODE})"),
        ("ars-dd59", "délégation départementale du Nord (59) : lit les contrats du Nord seulement (004)"),
        ("signataire", "élue signataire : lit les deux contrats (lecture seule)"),
        ("membre", "membre des deux contrats (partenaire, lecture et commentaires)"),
        ("admin", "administration (/admin/)"),
    ]
    for filename in SEED_CONTRACTS:
        existing = DemoContract.objects.filter(filename=filename).select_related("contract").first()
        if existing:
            contract = existing.contract
            say(f"Déjà chargé : {contract.title}\n")
        else:
            contract = import_document(SEEDS / filename, filename=filename, user=coordinator)
            contract.territory.region = REGION
            contract.territory.region_code = REGION_CODE
            contract.territory.department_code = SEED_DEPARTMENT_CODES[filename]
            contract.territory.save(update_fields=["region", "region_code", "department_code"])
            contract.is_published = True
            contract.save(update_fields=["is_published"])
            DemoContract.objects.create(contract=contract, filename=filename)
            _load_extras(contract, filename, coordinator)
            say(f"Chargé : {contract.title} ({contract.actions.count()} fiches actions)\n")
        ContractRole.objects.get_or_create(
            contract=contract, user=signatory, role=ContractRole.Role.SIGNATORY
        )
        ContractRole.objects.get_or_create(contract=contract, user=member, role=ContractRole.Role.MEMBER)
        from opencls.participation.demo import load_demo_participation  # issue 14

        load_demo_participation(contract, filename)
        _load_region_demo(contract, say)
        from opencls.documents.demo import load_demo_documents  # issue 18: article texts

        load_demo_documents(contract, coordinator)
        lead_organisation = _lead_organisation(contract)
        if lead_organisation:
            slug = f"porteur-{contract.pk}"
            lead = _user(slug, first_name="Dominique", last_name="Porteur", organisation=lead_organisation)
            ContractRole.objects.get_or_create(contract=contract, user=lead, role=ContractRole.Role.LEAD)
            logins.append((slug, f"porteur ({lead_organisation.name}) sur « {contract} »"))
            if filename == COFINANCED_SEED:  # the yearly round (issue 13): a late porteur on 004
                from opencls.campaigns.demo import load_demo_campaign

                campaign = load_demo_campaign(contract, coordinator, lead)
                say(f"Campagne {campaign.year} ouverte sur 004, date limite dépassée pour {slug}\n")
                from opencls.notifications.demo import load_demo_notifications

                if count := load_demo_notifications(campaign, coordinator, lead):
                    say(f"{count} notification(s) de la campagne (/notifications/)\n")
        if filename == COFINANCED_SEED:  # measure kinds and a porteur of operations (issue 13)
            logins += _load_demo_measures(contract, coordinator, say)
        _load_demo_publication(contract, coordinator, say)
    return logins
