"""One full fiche action written through the real pages, in chromium."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from opencls.accounts.models import Organisation
from opencls.actions.models import Action, Involvement
from opencls.contracts.models import ContractRole
from opencls.testing import factories
from opencls.testing.browser import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_writes_a_full_action(page):
    axis = factories.AxisFactory(code="2", title="Promouvoir un environnement favorable à la santé")
    contract = axis.contract
    factories.ObjectiveFactory(axis=axis, code="2.3", title="Développer le sport-santé")
    other_axis = factories.AxisFactory(contract=contract, code="3", title="Santé mentale")
    factories.ObjectiveFactory(axis=other_axis, code="3.1", title="Déstigmatiser")
    league = factories.OrganisationFactory(name="Ligue contre le cancer", kind=Organisation.Kind.ASSOCIATION)
    user = factories.user_with_role(contract, ContractRole.Role.COORDINATOR)
    log_in(page, user.username, factories.DEFAULT_PASSWORD)

    page.goto(f"/contrats/{contract.pk}/edition/")
    page.get_by_role("link", name="Fiches actions").click()
    page.get_by_role("link", name="Ajouter une fiche action à l'axe Promouvoir").click()
    page.get_by_label("Code").fill("FA 2.3")
    page.get_by_label("Intitulé").fill("Favoriser le développement du sport-santé")
    # The objectives offered follow the axis chosen (htmx swaps the objective field).
    page.get_by_role("combobox", name=re.compile("^Axe")).select_option(label=str(other_axis))
    expect(page.get_by_label("Objectif").locator("option")).to_have_text(["---------", "3.1 Déstigmatiser"])
    page.get_by_role("combobox", name=re.compile("^Axe")).select_option(label=str(axis))
    page.get_by_label("Objectif").select_option(label="2.3 Développer le sport-santé")
    page.get_by_label("Calendrier").fill("Second semestre 2026")
    page.get_by_role("button", name="Créer la fiche action").click()
    page.get_by_text("La fiche action a été créée.").wait_for()
    assert page.locator("#id_start_date").input_value() == "2026-07-01"
    assert page.locator("#id_end_date").input_value() == "2026-12-31"

    # A porteur created inline, then a partner found as you type (accents and case ignored).
    organisations = page.locator("#organisations")
    organisations.get_by_role("searchbox", name=re.compile("^Organisation")).fill("Institut Pasteur de Lille")
    organisations.get_by_text("« Institut Pasteur de Lille » sera créée.").wait_for()
    organisations.get_by_label("Type (pour une nouvelle organisation)").select_option(label="Association")
    organisations.get_by_role("button", name="Ajouter l'organisation").click()
    page.get_by_text("« Institut Pasteur de Lille » a été ajouté (porteur).").wait_for()
    organisations = page.locator("#organisations")
    organisations.get_by_label("En tant que").select_option(label="Partenaire")
    organisations.get_by_role("searchbox", name=re.compile("^Organisation")).fill("LIGUE CONTRE")
    # DSFR draws the radio on its label, which is what a user clicks.
    organisations.locator("label", has_text="Ligue contre le cancer").click()
    assert organisations.get_by_label("Ligue contre le cancer").is_checked()
    organisations.get_by_role("button", name="Ajouter l'organisation").click()
    page.get_by_text("« Ligue contre le cancer » a été ajouté (partenaire).").wait_for()

    # Two operations, the second moved up with htmx.
    for title in ("Former les professionnels au sport sur ordonnance", "Créer un annuaire des clubs"):
        page.get_by_role("link", name="Ajouter une opération").click()
        page.get_by_label("Intitulé").fill(title)
        page.get_by_label("Calendrier").fill("Premier semestre 2026")
        page.get_by_role("button", name="Créer l'opération").click()
        page.get_by_text("L'opération a été ajoutée.").wait_for()
        page.get_by_role("link", name="Retour à la fiche action").click()
    operations = page.locator("#operations-list")
    operations.get_by_role("button", name="Monter « Créer un annuaire des clubs »").click()
    expect(page.locator("#operations-list > ol > li strong").first).to_have_text(
        "Créer un annuaire des clubs"
    )

    deliverable_form = page.locator("form", has=page.get_by_role("button", name="Ajouter le livrable"))
    deliverable_form.get_by_label("Livrable").fill("Un annuaire des clubs labellisés publié")
    deliverable_form.get_by_label("Rattaché à").select_option(label="Créer un annuaire des clubs")
    deliverable_form.get_by_role("button", name="Ajouter le livrable").click()
    page.get_by_text("Le livrable a été ajouté.").wait_for()

    indicator_form = page.locator("form", has=page.get_by_role("button", name="Ajouter l'indicateur"))
    indicator_form.get_by_label("Type").select_option(label="Indicateur de résultat")
    indicator_form.get_by_label("Indicateur").fill("Nombre de personnes orientées vers un club")
    indicator_form.get_by_label("Unité").fill("personnes")
    indicator_form.get_by_label("Périodicité").select_option(label="Semestrielle")
    indicator_form.get_by_role("button", name="Ajouter l'indicateur").click()
    page.get_by_text("L'indicateur a été ajouté.").wait_for()

    action = Action.objects.get(contract=contract, code="FA 2.3")
    assert (action.start_date, action.end_date) == (date(2026, 7, 1), date(2026, 12, 31))
    assert action.objective.code == "2.3"
    lead = action.involvements.get(involvement=Involvement.LEAD).organisation
    assert (lead.name, lead.kind) == ("Institut Pasteur de Lille", Organisation.Kind.ASSOCIATION)
    assert action.involvements.get(involvement=Involvement.PARTNER).organisation == league
    assert [o.title for o in action.operations.order_by("position")] == [
        "Créer un annuaire des clubs",
        "Former les professionnels au sport sur ordonnance",
    ]
    assert action.operations.get(title="Créer un annuaire des clubs").start_date == date(2026, 1, 1)
    deliverable = action.deliverables.get()
    assert deliverable.operation.title == "Créer un annuaire des clubs"
    indicator = action.indicators.get()
    assert (indicator.kind, indicator.unit, indicator.periodicity) == ("result", "personnes", "semester")
