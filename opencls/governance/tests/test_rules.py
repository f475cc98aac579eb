"""Each governance rule on dated fixtures: `today` is always given, never read from the clock."""

from datetime import date

import pytest

from opencls.accounts.models import Organisation
from opencls.contracts.models import Contract
from opencls.core.registry import contract_alerts
from opencls.governance.models import AgendaItem, BodyMember, CoChairDesignation
from opencls.governance.rules import governance_alerts
from opencls.governance.tests.factories import (
    AgendaItemFactory,
    BodyMemberFactory,
    GovernanceBodyFactory,
    MeetingFactory,
    at,
)
from opencls.testing import factories

pytestmark = pytest.mark.django_db


def titles(contract, today, level=None) -> list[str]:
    return [a.title for a in governance_alerts(contract, today) if level is None or a.level == level]


def running_contract(**kwargs) -> Contract:
    return factories.ContractFactory(
        status=Contract.Status.SIGNED,
        start_date=date(2024, 3, 1),
        end_date=date(2028, 12, 31),
        regional_health_plan="PRS Hauts-de-France 2018-2028",
        **kwargs,
    )


def test_a_year_without_copil_raises_an_error_that_goes_when_the_meeting_is_recorded():
    contract = running_contract()
    copil = GovernanceBodyFactory(contract=contract, copil=True)
    MeetingFactory(body=copil, starts_at=at(2024, 11, 6))
    today = date(2026, 5, 10)
    assert "Comité de pilotage : aucune réunion en 2025" in titles(contract, today, "error")

    MeetingFactory(body=copil, starts_at=at(2025, 6, 19))

    assert not [
        t for t in titles(contract, today, "error") if t.startswith("Comité de pilotage : aucune réunion")
    ]


def test_the_provider_is_registered_for_the_contract_dashboard():
    contract = running_contract()
    GovernanceBodyFactory(contract=contract, copil=True)
    assert any(
        a.title == "Comité de pilotage : aucune réunion en 2024, 2025"
        for a in contract_alerts(contract, date(2026, 5, 10))
    )


def test_the_running_year_warns_until_a_meeting_is_planned():
    contract = running_contract()
    cotech = GovernanceBodyFactory(contract=contract, cotech=True)
    for year in (2024, 2025):
        MeetingFactory(body=cotech, starts_at=at(year, 6, 1))
    today = date(2026, 2, 1)
    expected = "Comité technique : 0 réunion(s) tenue(s) ou prévue(s) en 2026 sur 1 attendue(s)"
    assert titles(contract, today) and expected in titles(contract, today, "warning")

    MeetingFactory(body=cotech, starts_at=at(2026, 10, 8))  # planned, still to come

    assert expected not in titles(contract, today)
    assert not [t for t in titles(contract, today) if t.startswith("Comité technique")]


def test_cancelled_meetings_do_not_count():
    contract = running_contract()
    copil = GovernanceBodyFactory(contract=contract, copil=True, requires_annual_evaluation=False)
    MeetingFactory(body=copil, starts_at=at(2024, 6, 1))
    MeetingFactory(body=copil, starts_at=at(2025, 6, 1), is_cancelled=True)
    assert "Comité de pilotage : aucune réunion en 2025" in titles(contract, date(2026, 1, 5))


def test_no_rule_before_the_contract_starts_nor_after_it_ends():
    contract = running_contract()
    contract.start_date, contract.end_date = date(2026, 9, 1), date(2028, 12, 31)
    contract.save()
    GovernanceBodyFactory(contract=contract, copil=True)
    assert not [t for t in titles(contract, date(2026, 5, 1)) if "Comité" in t]
    contract.start_date, contract.end_date = date(2022, 1, 1), date(2023, 6, 30)
    contract.save()
    # Ended in 2023: 2022 and 2023 are judged, later years are not.
    assert "Comité de pilotage : aucune réunion en 2022, 2023" in titles(contract, date(2026, 5, 1), "error")


def test_the_annual_evaluation_must_be_on_a_copil_agenda_each_year_after_the_first():
    contract = running_contract()
    copil = GovernanceBodyFactory(contract=contract, copil=True)
    MeetingFactory(body=copil, starts_at=at(2024, 11, 6))  # year of signature: nothing to evaluate yet
    meeting_2025 = MeetingFactory(body=copil, starts_at=at(2025, 6, 19))
    today = date(2026, 3, 1)
    expected = "Comité de pilotage : l'évaluation annuelle n'a été inscrite à l'ordre du jour d'aucune réunion en 2025"
    assert expected in titles(contract, today, "error")
    assert (
        "Comité de pilotage : inscrivez l'évaluation annuelle à l'ordre du jour d'une réunion de 2026"
        in titles(contract, today, "info")
    )

    AgendaItemFactory(meeting=meeting_2025, evaluation=True)

    assert expected not in titles(contract, today)
    assert not [t for t in titles(contract, today) if "2024" in t]


def test_the_missing_evaluation_of_the_running_year_becomes_a_warning_in_the_last_quarter():
    contract = running_contract()
    copil = GovernanceBodyFactory(contract=contract, copil=True)
    for year in (2024, 2025):
        AgendaItemFactory(meeting=MeetingFactory(body=copil, starts_at=at(year, 6, 1)), evaluation=True)
    MeetingFactory(body=copil, starts_at=at(2026, 12, 3))
    title = "Comité de pilotage : inscrivez l'évaluation annuelle à l'ordre du jour d'une réunion de 2026"
    assert title in titles(contract, date(2026, 9, 30), "info")
    assert title in titles(contract, date(2026, 10, 1), "warning")


def test_cls_clsm_meetings_at_least_twice_a_year_and_mutual_seats():
    contract = running_contract()
    copil = GovernanceBodyFactory(contract=contract, copil=True, requires_annual_evaluation=False)
    cotech = GovernanceBodyFactory(contract=contract, cotech=True)
    joint = GovernanceBodyFactory(contract=contract, clsm=True)
    for body in (copil, cotech):
        for year in (2024, 2025, 2026):
            MeetingFactory(body=body, starts_at=at(year, 4, 2))
    for year in (2024, 2025):
        MeetingFactory(body=joint, starts_at=at(year, 3, 1))
    MeetingFactory(body=joint, starts_at=at(2024, 10, 1))
    today = date(2026, 11, 2)
    current = titles(contract, today)
    assert "Rencontres CLS – CLSM : moins de 2 réunions en 2025" in current
    assert "Rencontres CLS – CLSM : 0 réunion(s) tenue(s) ou prévue(s) en 2026 sur 2 attendue(s)" in current
    assert (
        "Comité de pilotage : aucun membre ne siège au titre de « Conseil local de santé mentale »" in current
    )
    assert (
        "Comité technique : aucun membre ne siège au titre de « Conseil local de santé mentale »" in current
    )

    MeetingFactory(body=joint, starts_at=at(2025, 11, 20))
    for body in (copil, cotech):
        BodyMemberFactory(body=body, represents_linked_council=True)
    for month in (11, 12):
        MeetingFactory(body=joint, starts_at=at(2026, month, 15))

    assert not [t for t in titles(contract, today) if "CLSM" in t or "Conseil local" in t]


def test_no_clsm_rule_without_a_linked_council():
    contract = running_contract()
    GovernanceBodyFactory(contract=contract, copil=True)
    assert not [t for t in titles(contract, date(2026, 3, 1)) if "siège" in t]


def test_co_chair_of_year_n_is_designated_in_year_n_minus_one():
    contract = running_contract()
    contract.start_date = date(2025, 11, 15)
    contract.save()
    copil = GovernanceBodyFactory(contract=contract, copil=True, rotating_co_chair=True)
    gruson = factories.OrganisationFactory(name="Commune de Gruson", kind=Organisation.Kind.MUNICIPALITY)
    willems = factories.OrganisationFactory(name="Commune de Willems", kind=Organisation.Kind.MUNICIPALITY)
    title_2026 = "Comité de pilotage : aucune commune désignée pour la coprésidence de 2026"
    title_2027 = "Comité de pilotage : désignez en 2026 la commune coprésidente de 2027"
    assert title_2026 in titles(contract, date(2026, 3, 1), "error")
    assert title_2027 in titles(contract, date(2026, 3, 1), "info")
    assert title_2027 in titles(contract, date(2026, 10, 15), "warning")

    CoChairDesignation.objects.create(
        contract=contract, body=copil, year=2026, organisation=gruson, designated_on=date(2025, 12, 4)
    )
    CoChairDesignation.objects.create(
        contract=contract, body=copil, year=2027, organisation=willems, designated_on=date(2027, 1, 12)
    )

    late = titles(contract, date(2027, 2, 1))
    assert title_2026 not in late
    assert (
        "Comité de pilotage : la coprésidence de 2027 a été désignée le 12/01/2027, après l'année 2026"
        in late
    )


def test_the_same_commune_twice_in_a_row_is_pointed_out():
    contract = running_contract()
    contract.start_date = date(2025, 1, 10)
    contract.save()
    copil = GovernanceBodyFactory(contract=contract, copil=True, rotating_co_chair=True)
    gruson = factories.OrganisationFactory(name="Commune de Gruson", kind=Organisation.Kind.MUNICIPALITY)
    for year in (2026, 2027):
        CoChairDesignation.objects.create(
            contract=contract, body=copil, year=year, organisation=gruson, designated_on=date(year - 1, 11, 1)
        )
    assert "Comité de pilotage : Commune de Gruson copréside deux années de suite (2026 et 2027)" in titles(
        contract, date(2026, 12, 1), "info"
    )


def test_no_rotation_rule_where_the_contract_sets_none():
    contract = running_contract()
    GovernanceBodyFactory(contract=contract, copil=True)
    assert not [t for t in titles(contract, date(2026, 3, 1)) if "coprésidence" in t]


def test_time_left_follows_the_prs_and_warns_in_the_last_six_months():
    contract = running_contract()
    contract.end_date = None
    contract.save()
    assert "Fin du contrat le 31/12/2028 : il reste 2 ans, 9 mois et 30 jours" in titles(
        contract, date(2026, 3, 1), "info"
    )
    assert "Fin du contrat le 31/12/2028 : il reste 4 mois et 30 jours" in titles(
        contract, date(2028, 8, 1), "warning"
    )
    assert "Le contrat a pris fin le 31/12/2028" in titles(contract, date(2029, 1, 2))


def test_an_end_date_apart_from_the_prs_is_pointed_out_and_an_unknown_end_too():
    contract = running_contract()
    contract.end_date = date(2027, 6, 30)
    contract.save()
    assert "La fin du contrat (30/06/2027) ne suit pas celle du PRS décliné (31/12/2028)" in titles(
        contract, date(2026, 3, 1)
    )
    contract.end_date, contract.regional_health_plan = None, ""
    contract.save()
    assert "Date de fin du contrat inconnue" in titles(contract, date(2026, 3, 1), "warning")


def test_members_flagged_for_the_council_satisfy_the_mutual_participation():
    contract = running_contract()
    copil = GovernanceBodyFactory(contract=contract, copil=True)
    GovernanceBodyFactory(contract=contract, clsm=True)
    BodyMember.objects.create(body=copil, person_name="Élue santé", represents_linked_council=True)
    assert not [
        t for t in titles(contract, date(2026, 3, 1)) if t.startswith("Comité de pilotage : aucun membre")
    ]


def test_alerts_cost_a_fixed_number_of_queries(django_assert_max_num_queries):
    contract = running_contract()
    copil = GovernanceBodyFactory(contract=contract, copil=True, rotating_co_chair=True)
    GovernanceBodyFactory(contract=contract, clsm=True)
    for year in range(2024, 2027):
        meeting = MeetingFactory(body=copil, starts_at=at(year, 5, 5))
        AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.EVALUATION)
    factories.SignatoryFactory.create_batch(5, contract=contract)
    with django_assert_max_num_queries(9):
        governance_alerts(contract, date(2026, 6, 1))


def test_a_draft_contract_has_no_governance_duty_yet():
    contract = running_contract()
    contract.status = Contract.Status.DRAFT
    contract.save()
    GovernanceBodyFactory(contract=contract, copil=True, rotating_co_chair=True)
    assert not [t for t in titles(contract, date(2026, 5, 10)) if t.startswith("Comité")]
