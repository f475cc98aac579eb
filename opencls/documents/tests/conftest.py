from pathlib import Path

import pytest

from opencls.governance.deliberations import parse_deliberations
from opencls.governance.services import deliberations_record_parsed
from opencls.testing import factories

SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"


@pytest.fixture
def seed_004(db):
    """Seed 004 through the document importer, with the deliberations it cites (as the demo)."""
    from opencls.imports.services import import_document

    coordinator = factories.UserFactory()
    path = SEEDS / "004_clsi_marque_melantois.txt"
    contract = import_document(path, filename=path.name, user=coordinator)
    deliberations_record_parsed(
        contract, parse_deliberations(path.read_text(encoding="utf-8")), user=coordinator
    )
    return contract, coordinator
