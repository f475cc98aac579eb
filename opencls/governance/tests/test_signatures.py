from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from opencls.accounts.models import Organisation
from opencls.contracts.models import Contract, ContractRole
from opencls.governance import services
from opencls.governance.deliberations import parse_deliberations
from opencls.governance.models import ContractVersion, SignatureState
from opencls.governance.rules import governance_alerts
from opencls.testing import factories

pytestmark = pytest.mark.django_db
SEED_004 = Path(__file__).resolve().parents[2] / "demo" / "seeds" / "004_clsi_marque_melantois.txt"
NO_DELIBERATION = {"number": "", "date": None, "body": "", "stated_text": ""}


def commune(name: str) -> Organisation:
    return factories.OrganisationFactory(name=name, kind=Organisation.Kind.MUNICIPALITY)


def sign(signatory, on: date, *, deliberation=NO_DELIBERATION, required=False, user=None):
    return services.signature_state_update(
        signatory,
        user=user,
        signed_on=on,
        signed_by="",
        deliberation_required=required,
        deliberation=deliberation,
    )


def test_the_contract_is_signed_only_when_every_signatory_has_signed():
    contract = factories.ContractFactory(regional_health_plan="PRS Hauts-de-France 2018-2028")
    ars, call, cpam = factories.SignatoryFactory.create_batch(3, contract=contract)
    sign(ars, date(2024, 12, 10))
    sign(call, date(2025, 1, 8))
    contract.refresh_from_db()
    assert contract.status == Contract.Status.DRAFT
    assert not ContractVersion.objects.filter(contract=contract).exists()

    sign(cpam, date(2025, 2, 3))

    contract.refresh_from_db()
    assert contract.status == Contract.Status.SIGNED
    assert contract.start_date == date(2025, 2, 3)  # "à compter de la date de signature": the last one
    assert contract.end_date == date(2028, 12, 31)  # for the whole PRS
    version = ContractVersion.objects.get(contract=contract)
    assert version.effective_on == date(2025, 2, 3) and version.amendment is None
    assert [s["organisation"] for s in version.snapshot["contract"]["signatories"]] == [
        ars.organisation.name,
        call.organisation.name,
        cpam.organisation.name,
    ]

    sign(cpam, None)  # recorded by mistake

    contract.refresh_from_db()
    assert contract.status == Contract.Status.DRAFT
    assert not ContractVersion.objects.filter(contract=contract).exists()


def test_a_contract_without_signatories_is_never_signed():
    contract = factories.ContractFactory()
    services.contract_refresh_signed_status(contract)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.DRAFT


def test_the_004_seed_deliberations_are_read_and_willems_placeholder_kept_as_written():
    parsed = {d.party: d for d in parse_deliberations(SEED_004.read_text(encoding="utf-8"))}
    assert len(parsed) == 8
    assert parsed["Baisieux"].number == "CM 2025.10.02"
    assert parsed["Baisieux"].date == date(2025, 10, 2)
    assert parsed["Villeneuve d'Ascq"].number == "VA_DEL2024_168"
    assert parsed["Villeneuve d'Ascq"].body == "conseil municipal"
    willems = parsed["Willems"]
    assert (willems.number, willems.date) == ("XXXXXX", None)
    assert willems.stated_text == "n°XXXXXX du XXXXXXXXXX 2025"


def test_willems_placeholder_deliberation_shows_as_missing_and_blocks_its_signature(client):
    contract = factories.ContractFactory()
    villeneuve = factories.SignatoryFactory(
        contract=contract, organisation=commune("Ville de Villeneuve-d'Ascq")
    )
    willems = factories.SignatoryFactory(contract=contract, organisation=commune("Commune de Willems"))
    ars = factories.SignatoryFactory(
        contract=contract,
        organisation=factories.OrganisationFactory(name="ARS Hauts-de-France", kind=Organisation.Kind.ARS),
    )
    text = SEED_004.read_text(encoding="utf-8")
    updated, unmatched = services.deliberations_record_parsed(contract, parse_deliberations(text), user=None)
    assert sorted(updated) == ["Commune de Willems", "Ville de Villeneuve-d'Ascq"]
    assert len(unmatched) == 6  # the other communes are not signatories of this test contract

    state = SignatureState.objects.get(signatory=willems)
    assert state.deliberation_missing
    assert not SignatureState.objects.get(signatory=villeneuve).deliberation_missing
    alerts = {a.title: a.message for a in governance_alerts(contract, date(2026, 1, 10))}
    assert "Commune de Willems (« n°XXXXXX du XXXXXXXXXX 2025 »)" in alerts["Délibération manquante"]
    assert "Villeneuve" not in alerts["Délibération manquante"]

    with pytest.raises(services.GovernanceError, match="délibération qui l'autorise"):
        sign(
            willems,
            date(2026, 1, 12),
            required=True,
            deliberation={
                "number": "XXXXXX",
                "date": None,
                "body": "",
                "stated_text": state.deliberation.stated_text,
            },
        )
    assert not SignatureState.objects.get(signatory=willems).is_signed

    coordinator = factories.user_with_role(contract, ContractRole.Role.COORDINATOR)
    client.force_login(coordinator)
    page = client.get(reverse("governance:signatures", args=[contract.pk])).content.decode()
    assert "Manquante" in page and "n°XXXXXX du XXXXXXXXXX 2025" in page
    assert "n°VA_DEL2024_168 du 05/11/2024" in page
    assert "Non requise" in page  # the ARS signs without deliberation
    assert ars.organisation.name in page


def test_a_commune_needs_a_deliberation_by_default_even_when_none_is_recorded():
    contract = factories.ContractFactory()
    factories.SignatoryFactory(contract=contract, organisation=commune("Commune de Gruson"))
    alerts = {a.title: a.message for a in governance_alerts(contract, date(2026, 1, 10))}
    assert "Commune de Gruson" in alerts["Délibération manquante"]


def test_signature_page_records_a_signature_and_the_deliberation(client):
    contract = factories.ContractFactory()
    gruson = factories.SignatoryFactory(contract=contract, organisation=commune("Commune de Gruson"))
    other = factories.SignatoryFactory(contract=contract)
    client.force_login(factories.user_with_role(contract, ContractRole.Role.COORDINATOR))
    url = reverse("governance:signature_edit", args=[contract.pk, gruson.pk])
    response = client.post(url, {"deliberation_required": "on", "signed_on": "2025-01-20"})
    assert response.status_code == 400
    assert "délibération qui l&#x27;autorise à signer" in response.content.decode()

    response = client.post(
        url,
        {
            "deliberation_required": "on",
            "deliberation_number": "2024-36",
            "deliberation_date": "2024-12-06",
            "deliberation_body": "conseil municipal",
            "signed_on": "2025-01-20",
            "signed_by": "Olivier Turpin, maire",
        },
    )
    assert response.status_code == 302
    state = SignatureState.objects.get(signatory=gruson)
    assert state.signed_on == date(2025, 1, 20) and state.deliberation.number == "2024-36"
    contract.refresh_from_db()
    assert contract.status == Contract.Status.DRAFT

    client.post(
        reverse("governance:signature_edit", args=[contract.pk, other.pk]), {"signed_on": "2025-02-01"}
    )
    contract.refresh_from_db()
    assert contract.status == Contract.Status.SIGNED
    page = client.get(reverse("governance:signatures", args=[contract.pk])).content.decode()
    assert "2 partie(s) sur 2 ont signé." in page


def test_members_read_signatures_but_cannot_record_them(client):
    contract = factories.ContractFactory()
    signatory = factories.SignatoryFactory(contract=contract)
    client.force_login(factories.user_with_role(contract, ContractRole.Role.MEMBER))
    assert client.get(reverse("governance:signatures", args=[contract.pk])).status_code == 200
    url = reverse("governance:signature_edit", args=[contract.pk, signatory.pk])
    assert client.post(url, {"signed_on": "2025-02-01"}).status_code == 403
    assert not SignatureState.objects.exists()


def test_a_signatory_of_another_contract_is_not_found(client):
    contract = factories.ContractFactory()
    foreign = factories.SignatoryFactory()
    client.force_login(factories.user_with_role(contract, ContractRole.Role.COORDINATOR))
    response = client.post(
        reverse("governance:signature_edit", args=[contract.pk, foreign.pk]), {"signed_on": "2025-02-01"}
    )
    assert response.status_code == 404
    assert not SignatureState.objects.exists()


def test_deliberations_pasted_from_the_contract_text(client):
    contract = factories.ContractFactory()
    factories.SignatoryFactory(contract=contract, organisation=commune("Commune de Willems"))
    client.force_login(factories.user_with_role(contract, ContractRole.Role.COORDINATOR))
    url = reverse("governance:deliberations_import", args=[contract.pk])
    assert client.post(url, {"text": "Rien à voir."}).status_code == 400
    text = (
        "Vu la délibération n°**XXXXXX** du XXXXXXXXXX 2025 portant sur le contrat local de santé et ses "
        "orientations prioritaires et autorisant le Maire de Willems à signer le contrat local de santé."
    )
    response = client.post(url, {"text": text}, follow=True)
    page = response.content.decode()
    assert "Délibérations rattachées : Commune de Willems." in page
    assert "Manquante" in page


def test_signatures_and_amendments_appear_in_the_contract_history(client):
    contract = factories.ContractFactory()
    gruson = factories.SignatoryFactory(contract=contract, organisation=commune("Commune de Gruson"))
    services.signature_state_update(
        gruson,
        user=None,
        signed_on=date(2025, 1, 20),
        signed_by="",
        deliberation_required=True,
        deliberation={"number": "2024-36", "date": date(2024, 12, 6), "body": "", "stated_text": ""},
    )
    client.force_login(factories.user_with_role(contract, ContractRole.Role.MEMBER))
    page = client.get(reverse("core:contract_history", args=[contract.pk])).content.decode()
    assert "Signature du contrat" in page and "signé le 20/01/2025" in page
    assert "n°2024-36 du 06/12/2024" in page


def test_pasted_deliberations_ask_before_replacing_one_already_recorded(client):
    contract = factories.ContractFactory()
    willems = factories.SignatoryFactory(contract=contract, organisation=commune("Commune de Willems"))
    services.signature_state_update(
        willems,
        user=None,
        signed_on=None,
        signed_by="",
        deliberation_required=True,
        deliberation={"number": "2025-12", "date": date(2025, 3, 4), "body": "", "stated_text": ""},
    )
    client.force_login(factories.user_with_role(contract, ContractRole.Role.COORDINATOR))
    url = reverse("governance:deliberations_import", args=[contract.pk])
    text = (
        "Vu la délibération n°2025-40 du 12 mai 2025 portant sur le contrat local de santé et "
        "autorisant le Maire de Willems à signer le contrat local de santé."
    )
    page = client.post(url, {"text": text}).content.decode()
    assert 'id="confirm-replacements"' in page
    assert "n° 2025-12 — 04/03/2025" in page and "n° 2025-40 — 12/05/2025" in page
    assert SignatureState.objects.get(signatory=willems).deliberation.number == "2025-12"  # not yet
    client.post(url, {"text": text, "confirmed": "1"})
    assert SignatureState.objects.get(signatory=willems).deliberation.number == "2025-40"
