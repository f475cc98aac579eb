"""Issue 17: plans in other layouts and formats than the seeds' are read through the label vocabulary.
Each corpus document has a recorded score (share of the expected fields read right); a drop fails."""

import pytest

from opencls.imports.services import read_and_extract
from opencls.imports.tests.corpus import CORPUS, FLOORS, score
from opencls.imports.tests.corpus.documents import Fiche


def test_the_corpus_covers_eight_documents_in_three_formats_and_every_layout():
    assert len(CORPUS) >= 8
    assert {d.fmt for d in CORPUS} == {"md", "docx", "pdf"}
    assert set(FLOORS) == {d.name for d in CORPUS}
    assert all(d.expected for d in CORPUS)


@pytest.mark.parametrize("document", CORPUS, ids=lambda d: d.name)
def test_score_does_not_drop_below_its_floor(document):
    result = read_and_extract(document.build(), document.filename)

    value, errors = score(document.expected, result)

    assert value >= FLOORS[document.name], "\n".join(errors)


def test_the_score_counts_what_is_wrong():
    wanted = [
        Fiche(
            "1", "Prévenir", "1.1", "Dépister", leads=["CPAM"], status=("En cours", "in_progress")
        ).expected()
    ]
    data = {
        "contract": {
            "axes": [{"code": "1", "actions": [{"code": "1.1", "title": "Dépister", "leads": ["CCAS"]}]}]
        },
        "extensions": {
            "spreadsheets": {"action_details": [{"axis": 0, "action": 0, "status": "in_progress"}]}
        },
    }

    value, errors = score(wanted, data)

    assert value == 4 / 5  # code, title, axis, status right; the porteur wrong
    assert errors == ["1.1 · leads : attendu ['CPAM'], lu ['CCAS']"]
    assert score(wanted, {"contract": {"axes": []}})[0] == 0
