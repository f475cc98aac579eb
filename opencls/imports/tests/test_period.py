"""The contract's period: read from the cover, or from "for the whole PRS"."""

import pytest

from opencls.imports.extraction import extract_contract
from opencls.imports.readers.blocks import Block
from opencls.imports.services import extract_document
from opencls.imports.tests.expected import SEEDS

PRS = "Projet Régional de Santé Hauts-de-France 2018-2028"


@pytest.mark.parametrize(
    ("seed", "start", "end"),
    [
        ("003_cls_lens_lievin.txt", None, "2028-12-31"),  # "pour toute la durée du Projet Régional de Santé"
        ("004_clsi_marque_melantois.txt", "2025-01-01", "2028-12-31"),  # cover: "2025 - 2028"
    ],
)
def test_seed_periods(seed, start, end):
    contract = extract_document(SEEDS / seed, seed)["contract"]
    assert (contract.get("start_date"), contract.get("end_date")) == (start, end)


def test_no_period_is_invented():
    blocks = [
        Block(kind="paragraph", text="Contrat local de santé de Nulle-Part"),
        Block(kind="paragraph", text=PRS),
    ]
    contract = extract_contract(blocks)["contract"]
    assert "start_date" not in contract and "end_date" not in contract
