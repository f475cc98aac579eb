import datetime

import pytest

from opencls.contracts.models import ContractRole
from opencls.jobs.registry import KINDS, JobKind, JobOutput, register_job_kind
from opencls.jobs.services import JobError, progress
from opencls.testing.factories import ContractFactory, UserFactory, user_with_role


def _file_job(job, *, text):
    progress(job, 50, "Moitié")
    return JobOutput(filename="resultat.txt", content=text.encode())


def _failing_job(job, *, french):
    if french:
        raise JobError("Le fichier demandé est trop volumineux.")
    raise RuntimeError("secret internal detail")


@pytest.fixture
def test_kinds():
    """Two job kinds for the tests: one writes a file, one fails."""
    kinds = [
        JobKind(key="tests.file", run=_file_job, permission="contract.export"),
        JobKind(key="tests.failing", run=_failing_job, permission="contract.export"),
    ]
    for kind in kinds:
        register_job_kind(kind)
    yield
    for kind in kinds:
        KINDS.pop(kind.key, None)


@pytest.fixture
def contract():
    return ContractFactory(start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2028, 12, 31))


@pytest.fixture
def coordinator(contract):
    return user_with_role(contract, ContractRole.Role.COORDINATOR)


@pytest.fixture
def member(contract):
    return user_with_role(contract, ContractRole.Role.MEMBER)


@pytest.fixture
def ars_reader(contract):
    return UserFactory(ars_region=contract.territory.region)


@pytest.fixture
def stranger():
    return UserFactory()
