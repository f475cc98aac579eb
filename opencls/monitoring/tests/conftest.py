import datetime
from types import SimpleNamespace

import pytest

from opencls.actions.models import Indicator
from opencls.contracts.models import ContractRole
from opencls.monitoring.models import Status
from opencls.monitoring.tests.factories import (
    DeliverableFollowUpFactory,
    EvaluationFactory,
    IndicatorTargetFactory,
    IndicatorValueFactory,
    StatusEntryFactory,
)
from opencls.testing.factories import (
    ActionFactory,
    AxisFactory,
    ContractFactory,
    DeliverableFactory,
    IndicatorFactory,
    OperationFactory,
    OrganisationFactory,
    user_with_role,
)

TODAY = datetime.date(2027, 2, 10)


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def year_2026():
    """A contract 2025-2028 with figures entered for 2026: the example the report tests read back."""
    contract = ContractFactory(
        title="CLS de démonstration",
        start_date=datetime.date(2025, 11, 4),
        end_date=datetime.date(2028, 12, 31),
    )
    prevention = AxisFactory(contract=contract, code="1", title="Prévention des conduites à risques")
    environment = AxisFactory(contract=contract, code="3", title="Santé environnementale")
    association = OrganisationFactory(name="Association Prisme")
    youth = ActionFactory(
        contract=contract, axis=prevention, code="FA 1.1", title="Compétences psychosociales des jeunes"
    )
    training = OperationFactory(
        action=youth, title="Former les professionnels", schedule="Second semestre 2026", leads=[association]
    )
    schools = OperationFactory(
        action=youth, title="Sensibiliser les jeunes", schedule="Premier semestre 2026"
    )
    air = ActionFactory(contract=contract, axis=environment, code="FA 3.1", title="Qualité de l'air")

    sessions = IndicatorFactory(
        action=youth, operation=training, label="Nombre de sessions de sensibilisation", unit="sessions"
    )
    trained = IndicatorFactory(
        action=youth,
        operation=training,
        kind=Indicator.Kind.RESULT,
        label="Nombre de professionnels formés",
        unit="personnes",
    )
    ambassadors = IndicatorFactory(action=air, label="Nombre d'ambassadeurs santé recrutés")
    IndicatorTargetFactory(indicator=sessions, year=2026, value="2")
    IndicatorValueFactory(indicator=sessions, year=2026, value="3", comment="Deux sessions PRISME, une CJC")
    IndicatorTargetFactory(indicator=trained, year=2026, value="40")
    IndicatorValueFactory(indicator=trained, year=2026, value="27")
    IndicatorValueFactory(indicator=ambassadors, year=2025, value="1")
    IndicatorValueFactory(indicator=ambassadors, year=2026, value="2")
    IndicatorTargetFactory(indicator=ambassadors, year=2026, value="5", cumulative=True)

    guide = DeliverableFactory(action=youth, operation=training, text="Guide de recommandations")
    DeliverableFollowUpFactory(deliverable=guide, done_on=datetime.date(2026, 11, 20))
    DeliverableFactory(action=youth, operation=schools, text="Organisation d'au moins deux sessions par an")
    DeliverableFactory(action=air, text="Recrutement d'au moins 5 ambassadeurs et ambassadrices santé")

    StatusEntryFactory(action=youth, status=Status.IN_PROGRESS, date=datetime.date(2026, 3, 2))
    StatusEntryFactory(
        action=youth,
        operation=training,
        status=Status.DONE,
        date=datetime.date(2026, 12, 1),
        comment="Trois sessions tenues malgré le retard de recrutement",
    )
    StatusEntryFactory(
        action=air, status=Status.POSTPONED, date=datetime.date(2026, 5, 1), comment="Report à 2027"
    )
    # After the year: must not show in the 2026 report.
    StatusEntryFactory(action=air, status=Status.IN_PROGRESS, date=datetime.date(2027, 1, 15))
    EvaluationFactory(contract=contract, year=2026, synthesis="Une première année riche en partenariats.")

    lead = user_with_role(contract, ContractRole.Role.LEAD, organisation=association)
    return SimpleNamespace(
        contract=contract,
        youth=youth,
        air=air,
        training=training,
        schools=schools,
        sessions=sessions,
        trained=trained,
        ambassadors=ambassadors,
        guide=guide,
        association=association,
        coordinator=user_with_role(contract, ContractRole.Role.COORDINATOR),
        lead=lead,
        member=user_with_role(contract, ContractRole.Role.MEMBER),
    )
