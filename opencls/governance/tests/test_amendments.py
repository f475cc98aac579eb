from datetime import date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from opencls.accounts.models import Organisation
from opencls.actions.models import Action, Involvement
from opencls.contracts.models import Axis, Contract, ContractRole, Signatory
from opencls.governance import amendments, services
from opencls.governance.diff import amendment_changes
from opencls.governance.models import Amendment, AmendmentSignature, ContractVersion, SignatureState
from opencls.governance.selectors import amendment_parties, contract_as_of
from opencls.governance.tests.factories import GovernanceBodyFactory, MeetingFactory
from opencls.testing import factories

pytestmark = pytest.mark.django_db
NO_DELIBERATION = {"number": "", "date": None, "body": "", "stated_text": ""}
ACTION = {
    "code": "FA 4.2",
    "title": "Former les élus au repérage de la souffrance psychique",
    "objective": None,
    "context": "",
    "description": "Deux sessions par an.",
    "target_publics": "Élus et agents d'accueil",
    "area": "",
    "schedule": "2027",
    "leads": ["Coordination du CLS"],
    "partners": ["EPSM Agglomération Lilloise"],
}


@pytest.fixture
def contract():
    contract = factories.ContractFactory(status=Contract.Status.SIGNED, start_date=date(2025, 1, 10))
    for name in ("ARS Hauts-de-France", "Ville de Villeneuve-d'Ascq"):
        signatory = factories.SignatoryFactory(
            contract=contract, organisation=factories.OrganisationFactory(name=name)
        )
        SignatureState.objects.create(contract=contract, signatory=signatory, signed_on=date(2025, 1, 10))
    axis = factories.AxisFactory(contract=contract, code="4", title="Santé mentale")
    factories.ActionFactory(
        axis=axis, code="FA 4.1", title="Élargir le CISM", leads=[factories.OrganisationFactory()]
    )
    factories.ActionFactory(axis=axis, code="FA 4.9", title="Action abandonnée")
    return contract


def sign_all(amendment, on=date(2026, 4, 2)) -> bool:
    applied = False
    for party in amendment_parties(amendment):
        applied = amendments.amendment_signature_record(
            amendment,
            party.organisation,
            signed_on=on,
            signed_by="",
            deliberation_required=False,
            deliberation=NO_DELIBERATION,
            user=None,
        )
    return applied


def test_an_amendment_starts_from_the_version_in_force(contract):
    amendment = amendments.amendment_create(contract, title="Avenant santé mentale")
    assert amendment.number == 1
    assert amendment.base_json == amendment.proposed_json
    assert amendment_changes(amendment.base_json, amendment.proposed_json) == []
    with pytest.raises(services.GovernanceError, match="déjà en préparation"):
        amendments.amendment_create(contract, title="Un second")


def test_diff_lists_added_changed_and_removed_items_field_by_field(contract):
    amendment = amendments.amendment_create(contract, title="Avenant n°1")
    amendments.amendment_action_add(amendment, axis="4", fields=ACTION)
    amendments.amendment_action_change(
        amendment,
        "FA 4.1",
        axis="4",
        fields={**ACTION, "code": "FA 4.1", "title": "Élargir le CISM aux 8 communes"},
    )
    amendments.amendment_action_remove(amendment, "FA 4.9")
    amendments.amendment_signatory_add(
        amendment,
        organisation="CPAM de Roubaix-Tourcoing",
        kind=Organisation.Kind.CPAM,
        representative="Christine Wendling-Bocquet",
        representative_title="Directrice",
        role="",
    )
    amendment.refresh_from_db()
    changes = {
        (c.section, c.kind, c.key): c for c in amendment_changes(amendment.base_json, amendment.proposed_json)
    }
    assert set(changes) == {
        ("actions", "added", "FA 4.2"),
        ("actions", "changed", "FA 4.1"),
        ("actions", "removed", "FA 4.9"),
        ("signatories", "added", "cpam de roubaix-tourcoing"),
    }
    changed = {f.name: (f.before, f.after) for f in changes["actions", "changed", "FA 4.1"].fields}
    assert changed["title"] == ("Élargir le CISM", "Élargir le CISM aux 8 communes")
    assert changed["partners"] == ("", "EPSM Agglomération Lilloise")
    assert "axis" not in changed  # the action stays in its axis
    added = {f.name: f.after for f in changes["actions", "added", "FA 4.2"].fields}
    assert added["axis"] == "4 — Santé mentale"
    assert added["leads"] == "Coordination du CLS"


def test_edits_are_checked_and_refused_in_french(contract):
    amendment = amendments.amendment_create(contract, title="Avenant")
    with pytest.raises(services.GovernanceError, match="« FA 4.1 » existe déjà"):
        amendments.amendment_action_add(amendment, axis="4", fields={**ACTION, "code": "FA 4.1"})
    with pytest.raises(services.GovernanceError, match="déjà signataire"):
        amendments.amendment_signatory_add(
            amendment,
            organisation="ars hauts-de-france",
            kind="ars",
            representative="",
            representative_title="",
            role="",
        )
    with pytest.raises(services.GovernanceError, match="code d'une fiche action l'identifie"):
        amendments.amendment_action_change(amendment, "FA 4.1", axis="4", fields={**ACTION, "code": "FA 9"})
    with pytest.raises(services.GovernanceError, match="ne figure pas"):
        amendments.amendment_action_remove(amendment, "FA 7.7")
    amendment.refresh_from_db()
    assert amendment.proposed_json == amendment.base_json


def test_every_party_signs_then_the_amendment_changes_the_contract_in_one_go(contract):
    copil = GovernanceBodyFactory(contract=contract, copil=True)
    meeting = MeetingFactory(body=copil)
    amendment = amendments.amendment_create(contract, title="Avenant n°1", copil_meeting=meeting)
    amendments.amendment_axis_add(amendment, code="5", title="Santé environnementale", description="")
    amendments.amendment_action_add(amendment, axis="5", fields={**ACTION, "code": "FA 5.1"})
    amendments.amendment_action_change(amendment, "FA 4.1", axis="5", fields={**ACTION, "code": "FA 4.1"})
    amendments.amendment_action_remove(amendment, "FA 4.9")
    amendments.amendment_signatory_change(
        amendment,
        "ars hauts-de-france",
        representative="Hugo Gilardi",
        representative_title="Directeur général",
        role="",
    )
    amendments.amendment_signatory_add(
        amendment,
        organisation="CAF du Nord",
        kind="other",
        representative="",
        representative_title="",
        role="",
    )
    amendment.refresh_from_db()
    parties = amendment_parties(amendment)
    assert [(p.name, p.joins) for p in parties] == [
        ("ARS Hauts-de-France", False),
        ("Ville de Villeneuve-d'Ascq", False),
        ("CAF du Nord", True),
    ]
    first, *others = parties
    assert not amendments.amendment_signature_record(
        amendment,
        first.organisation,
        signed_on=date(2026, 3, 30),
        signed_by="",
        deliberation_required=False,
        deliberation=NO_DELIBERATION,
        user=None,
    )
    assert Action.objects.filter(contract=contract, code="FA 4.9").exists()  # nothing applied yet
    with pytest.raises(services.GovernanceError, match="ne peut plus changer"):
        amendments.amendment_action_remove(amendment, "FA 4.1")

    assert sign_all(amendment, on=date(2026, 4, 2))

    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.IN_FORCE
    assert amendment.effective_on == date(2026, 4, 2)
    axis = Axis.objects.get(contract=contract, code="5")
    moved = Action.objects.get(contract=contract, code="FA 4.1")
    assert moved.axis == axis and moved.description == "Deux sessions par an."
    assert [
        i.organisation.name for i in moved.involvements.all() if i.involvement == Involvement.PARTNER
    ] == ["EPSM Agglomération Lilloise"]
    assert Action.objects.get(contract=contract, code="FA 5.1").leads[0].name == "Coordination du CLS"
    assert not Action.objects.filter(contract=contract, code="FA 4.9").exists()
    assert Signatory.objects.get(
        contract=contract, organisation__name="ARS Hauts-de-France"
    ).representative == ("Hugo Gilardi")
    caf = Signatory.objects.get(contract=contract, organisation__name="CAF du Nord")
    assert caf.signature_state.signed_on == date(2026, 4, 2)
    assert caf.signature_state.joined_by_amendment == amendment
    version = ContractVersion.objects.get(amendment=amendment)
    assert version.effective_on == date(2026, 4, 2)
    assert "CAF du Nord" in [s["organisation"] for s in version.snapshot["contract"]["signatories"]]


def test_a_signatory_removed_by_amendment_leaves_the_contract(contract):
    amendment = amendments.amendment_create(contract, title="Retrait")
    amendments.amendment_signatory_remove(amendment, "ville de villeneuve-d'ascq")
    amendment.refresh_from_db()
    assert [p.leaves for p in amendment_parties(amendment)] == [False, True]  # it still signs the amendment
    assert sign_all(amendment)
    assert list(Signatory.objects.filter(contract=contract).values_list("organisation__name", flat=True)) == [
        "ARS Hauts-de-France"
    ]


def test_a_conflict_with_the_live_contract_rolls_the_last_signature_back(contract):
    amendment = amendments.amendment_create(contract, title="Avenant")
    amendments.amendment_action_change(amendment, "FA 4.9", axis="4", fields={**ACTION, "code": "FA 4.9"})
    amendment.refresh_from_db()
    Action.objects.get(contract=contract, code="FA 4.9").delete()  # removed meanwhile, outside the amendment
    with pytest.raises(services.GovernanceError, match="a été retiré du contrat depuis la préparation"):
        sign_all(amendment)
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.PROPOSED
    assert AmendmentSignature.objects.filter(amendment=amendment).count() == 1  # only the first, not the last


def test_changes_made_elsewhere_since_the_proposal_are_kept(contract):
    amendment = amendments.amendment_create(contract, title="Avenant")
    amendments.amendment_action_add(amendment, axis="4", fields=ACTION)
    amendment.refresh_from_db()
    kept = Action.objects.get(contract=contract, code="FA 4.1")
    kept.context = "Complété par la coordinatrice entre-temps."
    kept.save()
    assert sign_all(amendment)
    kept.refresh_from_db()
    assert kept.context == "Complété par la coordinatrice entre-temps."
    assert Action.objects.filter(contract=contract, code="FA 4.2").exists()


def test_the_contract_as_it_stood_on_any_date(contract):
    day = timezone.localdate()
    assert [a.code for _axis, actions in contract_as_of(contract, day).axes for a in actions] == [
        "FA 4.1",
        "FA 4.9",
    ]
    amendment = amendments.amendment_create(contract, title="Avenant")
    amendments.amendment_action_remove(amendment, "FA 4.9")
    amendments.amendment_action_add(amendment, axis="4", fields=ACTION)
    amendment.refresh_from_db()
    # Date the history rows of the state before the amendment three days back.
    before = timezone.now() - timedelta(days=3)
    for model in (Contract, Signatory, Axis, Action, SignatureState):
        model.history.all().update(history_date=before)
    assert sign_all(amendment)

    past = contract_as_of(contract, day - timedelta(days=2))
    now = contract_as_of(contract, day)
    assert [a.code for _axis, actions in past.axes for a in actions] == ["FA 4.1", "FA 4.9"]
    assert [a.code for _axis, actions in now.axes for a in actions] == ["FA 4.1", "FA 4.2"]
    assert [s.organisation_name for s in past.signatories] == [
        "ARS Hauts-de-France",
        "Ville de Villeneuve-d'Ascq",
    ]
    assert past.signatories[0].signed_on == date(2025, 1, 10)
    assert contract_as_of(contract, day - timedelta(days=10)) is None  # not created yet


def test_versions_page_shows_the_contract_at_a_date(client, contract):
    client.force_login(factories.user_with_role(contract, ContractRole.Role.MEMBER))
    Contract.history.all().update(
        history_date=datetime(2025, 1, 5, 12, tzinfo=timezone.get_current_timezone())
    )
    for model in (Signatory, Axis, Action):
        model.history.all().update(
            history_date=datetime(2025, 1, 5, 12, tzinfo=timezone.get_current_timezone())
        )
    Action.objects.get(code="FA 4.9").delete()
    url = reverse("governance:versions", args=[contract.pk])
    page = client.get(url, {"date": "2025-06-01"}).content.decode()
    assert "FA 4.9" in page and "Le contrat tel qu'il était enregistré le 01/06/2025" in page
    assert "FA 4.9" not in client.get(url).content.decode()
    missing = client.get(url, {"date": "2024-12-31"}).content.decode()
    assert "Le 31/12/2024 précède le début du contrat, le 10/01/2025." in missing
    assert "OpenCLS n'a aucun enregistrement de ce contrat avant le 05/01/2025" in missing
    assert client.get(url, {"date": "pas une date"}).status_code == 400


def test_versions_page_before_the_contract_was_entered_but_after_its_start(client, contract):
    """Entered in OpenCLS on 1 June 2025, in force since 10 January: not "did not exist yet"."""
    client.force_login(factories.user_with_role(contract, ContractRole.Role.MEMBER))
    Contract.history.all().update(
        history_date=datetime(2025, 6, 1, 9, tzinfo=timezone.get_current_timezone())
    )
    url = reverse("governance:versions", args=[contract.pk])
    response = client.get(url, {"date": "2025-03-01"})
    text = (
        BeautifulSoup(response.content, "html.parser").select_one("#state-missing").get_text(" ", strip=True)
    )
    assert "n'existait pas" not in response.content.decode()
    assert "précède le début" not in text
    assert text == (
        "OpenCLS n'a aucun enregistrement de ce contrat avant le 01/06/2025, date à laquelle il y a été "
        "saisi. Le contrat avait pourtant débuté le 10/01/2025 : son contenu à cette date n'a pas été "
        "enregistré dans OpenCLS."
    )
    # From the day it was entered, the page shows the contract as recorded.
    assert (
        "Le contrat tel qu'il était enregistré le 01/06/2025"
        in client.get(url, {"date": "2025-06-01"}).content.decode()
    )
    assert not BeautifulSoup(client.get(url, {"date": "2025-06-01"}).content, "html.parser").select_one(
        "#state-missing"
    )


def test_amendment_pages_keep_readers_out_of_writes(client, contract):
    amendment = amendments.amendment_create(contract, title="Avenant")
    client.force_login(factories.user_with_role(contract, ContractRole.Role.MEMBER))
    assert (
        client.get(reverse("governance:amendment_detail", args=[contract.pk, amendment.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("governance:amendment_diff", args=[contract.pk, amendment.pk])).status_code == 200
    )
    url = reverse("governance:amendment_remove", args=[contract.pk, amendment.pk, "fiche-action"])
    assert client.post(url, {"cle": "FA 4.9"}).status_code == 403
    assert (
        client.post(reverse("governance:amendment_create", args=[contract.pk]), {"title": "X"}).status_code
        == 403
    )
    amendment.refresh_from_db()
    assert amendment.proposed_json == amendment.base_json


def test_an_amendment_of_another_contract_is_not_found(client, contract):
    other = factories.ContractFactory()
    foreign = amendments.amendment_create(other, title="Ailleurs")
    client.force_login(factories.user_with_role(contract, ContractRole.Role.COORDINATOR))
    for name in ("amendment_detail", "amendment_diff", "amendment_axis"):
        assert client.get(reverse(f"governance:{name}", args=[contract.pk, foreign.pk])).status_code == 404
    response = client.post(reverse("governance:amendment_abandon", args=[contract.pk, foreign.pk]))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Amendment.Status.PROPOSED


def test_editing_an_amendment_through_its_pages(client, contract):
    client.force_login(factories.user_with_role(contract, ContractRole.Role.COORDINATOR))
    client.post(reverse("governance:amendment_create", args=[contract.pk]), {"title": "Avenant n°1"})
    amendment = Amendment.objects.get(contract=contract)
    axis_url = reverse("governance:amendment_axis", args=[contract.pk, amendment.pk])
    client.post(axis_url, {"code": "5", "title": "Santé environnementale"})
    response = client.post(axis_url, {"code": "5", "title": "Encore"})
    assert response.status_code == 400 and "Un axe « 5 » existe déjà." in response.content.decode()
    client.post(axis_url + "?cle=4", {"title": "Santé mentale et psychique"})
    remove = reverse("governance:amendment_remove", args=[contract.pk, amendment.pk, "fiche-action"])
    client.post(remove, {"cle": "FA 4.9"})
    response = client.post(
        reverse("governance:amendment_action", args=[contract.pk, amendment.pk]) + "?cle=FA%204.1",
        {"axis": "5", "title": "Élargir le CISM", "leads": "EPSM\nCoordination du CLS"},
    )
    assert response.status_code == 302
    amendment.refresh_from_db()
    kinds = sorted(
        (c.section, c.kind, c.key) for c in amendment_changes(amendment.base_json, amendment.proposed_json)
    )
    assert kinds == [
        ("actions", "changed", "FA 4.1"),
        ("actions", "removed", "FA 4.9"),
        ("axes", "added", "5"),
        ("axes", "changed", "4"),
    ]
    page = client.get(reverse("governance:amendment_diff", args=[contract.pk, amendment.pk])).content.decode()
    assert "Santé mentale et psychique" in page and "5 — Santé environnementale" in page
    assert "La fiche part avec ses opérations" in page

    client.post(reverse("governance:amendment_abandon", args=[contract.pk, amendment.pk]))
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.ABANDONED
    assert Action.objects.filter(contract=contract, code="FA 4.9").exists()  # the contract is unchanged


def test_a_version_is_readable_and_downloadable(client, contract):
    amendment = amendments.amendment_create(contract, title="Avenant")
    amendments.amendment_action_remove(amendment, "FA 4.9")
    amendment.refresh_from_db()
    sign_all(amendment)
    version = ContractVersion.objects.get(amendment=amendment)
    client.force_login(factories.user_with_role(contract, ContractRole.Role.MEMBER))
    url = reverse("governance:version_detail", args=[contract.pk, version.pk])
    page = client.get(url).content.decode()
    assert "FA 4.1" in page and "FA 4.9" not in page
    download = client.get(url, {"format": "json"})
    assert download.json()["contract"]["signatories"][0]["organisation"] == "ARS Hauts-de-France"
    listing = client.get(reverse("governance:versions", args=[contract.pk])).content.decode()
    assert "Version de l&#x27;avenant n°1" in listing
