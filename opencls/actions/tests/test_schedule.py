import re
from datetime import date
from pathlib import Path

import pytest

from opencls.actions.schedule import parse_schedule

SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"

# Every "CALENDRIER" cell of the seeds (003 has none: its fiches actions carry no schedule),
# with what the editor fills in. OCR noise and cells shifted from another column give no dates.
SEED_SCHEDULES = {
    "Premier semestre 2026": (date(2026, 1, 1), date(2026, 6, 30)),
    "Second semestre 2026": (date(2026, 7, 1), date(2026, 12, 31)),
    "Premier semestre 2027": (date(2027, 1, 1), date(2027, 6, 30)),
    "Démarrage début 2026": (date(2026, 1, 1), None),
    "Decer's consenter 2026": (None, None),
    "Draming competes 2027": (None, None),
    "Ensemble du territoire, QPV, campus universitaires": (None, None),
    "Bouvines, Péronne-en-Mélantois, Sainghin-en-Mélantois": (None, None),
}

OTHER_SCHEDULES = {
    "2025": (date(2025, 1, 1), date(2025, 12, 31)),
    "2025-2028": (date(2025, 1, 1), date(2028, 12, 31)),
    "2025 – 2028": (date(2025, 1, 1), date(2028, 12, 31)),
    "2026/2027": (date(2026, 1, 1), date(2027, 12, 31)),
    "De 2025 à 2028": (date(2025, 1, 1), date(2028, 12, 31)),
    "Fin 2026": (date(2026, 10, 1), date(2026, 12, 31)),
    "Début 2026": (date(2026, 1, 1), date(2026, 3, 31)),
    "Courant 2026": (date(2026, 1, 1), date(2026, 12, 31)),
    "En 2026": (date(2026, 1, 1), date(2026, 12, 31)),
    "Au cours de l'année 2026": (date(2026, 1, 1), date(2026, 12, 31)),
    "Année 2026": (date(2026, 1, 1), date(2026, 12, 31)),
    "janvier 2026": (date(2026, 1, 1), date(2026, 1, 31)),
    "Février 2028": (date(2028, 2, 1), date(2028, 2, 29)),
    "AOÛT 2026": (date(2026, 8, 1), date(2026, 8, 31)),
    "sept. 2026": (date(2026, 9, 1), date(2026, 9, 30)),
    "De janvier à juin 2026": (date(2026, 1, 1), date(2026, 6, 30)),
    "Septembre 2025 - juin 2026": (date(2025, 9, 1), date(2026, 6, 30)),
    "1er trimestre 2026": (date(2026, 1, 1), date(2026, 3, 31)),
    "Deuxième trimestre 2026": (date(2026, 4, 1), date(2026, 6, 30)),
    "T2 2026": (date(2026, 4, 1), date(2026, 6, 30)),
    "T4 2026": (date(2026, 10, 1), date(2026, 12, 31)),
    "S1 2026": (date(2026, 1, 1), date(2026, 6, 30)),
    "Deuxième semestre 2026": (date(2026, 7, 1), date(2026, 12, 31)),
    "2e semestre 2026": (date(2026, 7, 1), date(2026, 12, 31)),
    "  premier   SEMESTRE 2026. ": (date(2026, 1, 1), date(2026, 6, 30)),
    "Premier semestre 2026 - second semestre 2027": (date(2026, 1, 1), date(2027, 12, 31)),
    "Du second semestre 2026 à fin 2027": (date(2026, 7, 1), date(2027, 12, 31)),
    "À partir de 2026": (date(2026, 1, 1), None),
    "Dès le second semestre 2026": (date(2026, 7, 1), None),
    "Démarrage en septembre 2026": (date(2026, 9, 1), None),
    "Jusqu'à fin 2027": (None, date(2027, 12, 31)),
    "D'ici 2028": (None, date(2028, 12, 31)),
    "Tout au long du contrat": (None, None),
    "Durée du contrat": (None, None),
    "Dès que possible": (None, None),
    "2028-2025": (None, None),
    "Troisième semestre 2026": (None, None),
    "T5 2026": (None, None),
    "13/2026": (None, None),
    "": (None, None),
    # Issue 17: days, and "du … au …" between days.
    "Du 1er mars 2026 au 30 juin 2027": (date(2026, 3, 1), date(2027, 6, 30)),
    "du 01/03/2026 au 31/12/2027": (date(2026, 3, 1), date(2027, 12, 31)),
    "Du 15 septembre 2025 à décembre 2026": (date(2025, 9, 15), date(2026, 12, 31)),
    "Le 12/05/2026": (date(2026, 5, 12), date(2026, 5, 12)),
    "À partir du 1er mars 2026": (date(2026, 3, 1), None),
    "Du 31/12/2027 au 01/03/2026": (None, None),
    "31/02/2026": (None, None),
}


@pytest.mark.parametrize(("text", "expected"), list({**SEED_SCHEDULES, **OTHER_SCHEDULES}.items()))
def test_parse_schedule(text, expected):
    assert parse_schedule(text) == expected


def seed_schedule_cells(path: Path) -> list[str]:
    """The CALENDRIER cells of a seed: on the same line (tab- or space-separated) or on the next one."""
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = []
    for number, line in enumerate(lines):
        if not line.upper().startswith("CALENDRIER"):
            continue
        rest = line[len("CALENDRIER") :].strip()
        if rest:
            # Some rows lost their tabs; each cell then ends with a year.
            parts = rest.split("\t") if "\t" in rest else re.split(r"(?<=\d{4})\s+", rest)
            cells.extend(part.strip() for part in parts if part.strip())
            continue
        following = next((candidate.strip() for candidate in lines[number + 1 :] if candidate.strip()), "")
        # An empty CALENDRIER cell is followed directly by the next row's heading.
        if not following.startswith("OPÉRATIONS"):
            cells.append(following)
    return cells


def test_table_covers_every_schedule_of_the_seeds():
    cells = [cell for name in ("003_cls_lens_lievin.txt", "004_clsi_marque_melantois.txt")
             for cell in seed_schedule_cells(SEEDS / name)]  # fmt: skip
    assert len(cells) == 19  # 16 CALENDRIER rows of 004, some with several operations
    assert set(cells) == set(SEED_SCHEDULES)
