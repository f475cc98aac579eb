"""Issue 17: the label vocabulary is data; statuses, priorities and unknown fields per fiche."""

import io

import pytest

from opencls.imports.extraction.vocabulary import field_of, labels, priority_of, status_of
from opencls.imports.services import extract_document


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Structure pilote", "leads"), ("MAÎTRE D'OUVRAGE :", "leads"), ("référent", "leads"),
        ("Acteurs associés", "partners"), ("Public(s) cible(s)", "target_publics"), ("bénéficiaires", "target_publics"),
        ("Échéancier", "schedule"), ("ETAT D'AVANCEMENT", "status"), ("Niveau de priorité", "priority"),
        ("Financeurs", "funding_text"), ("Indicateurs d'évaluation", "indicators"), ("Résultats attendus", "deliverables"),
        ("Intitulé de l'action", "title"), ("Sous-axe (x.x)", "objective"), ("Thèmes", None),
    ],
)  # fmt: skip
def test_labels_are_recognised_whatever_their_accents_and_case(label, field):
    assert field_of(label) == field


def test_every_field_has_a_label_to_show():
    assert all(items and items[0] for items in labels().values())


@pytest.mark.parametrize(
    ("text", "status"),
    [("En cours", "in_progress"), ("terminée", "done"), ("A venir", "not_started"), ("Bloqué", "postponed"),
     ("Abandonnée", "abandoned"), ("En cours (démarrage en mars)", "in_progress"), ("Peut-être", None)],
)  # fmt: skip
def test_statuses(text, status):
    assert status_of(text) == status


def test_priorities():
    assert [priority_of(t) for t in ("Élevé", "haute", "Moyenne", "faible", "2", "Bientôt")] == [
        "high", "high", "medium", "low", "medium", None,
    ]  # fmt: skip


DOCUMENT = """# Contrat local de santé de la Communauté d'Agglomération de Lens-Liévin

## Axe 1 : Prévention

### Fiche action 1.1 : Dépister

Pilote : Coordination du CLSI2M
Statut : Peut-être
Thèmes : Cancers

| N° | Intitulé de l'action | Porteur | Statut | Lien PRS |
|---|---|---|---|---|
| 1.2 | Aller vers | CCAS de Liévin | En cours | Objectif 4 |
"""


def test_unknown_wordings_are_kept_with_their_label():
    data = extract_document(io.BytesIO(DOCUMENT.encode()), "plan.md")

    first, second = data["contract"]["axes"][0]["actions"]
    assert first["leads"] == ["Coordination du CLSI2M"]  # no acronym known: kept as written
    assert second["leads"] == ["CCAS de Liévin"]
    assert "FA 1.1 : statut « Peut-être » non reconnu ; à saisir après l'import." in data["warnings"]
    aside = {(n["where"], n["text"]) for n in data["not_imported"]}
    assert ("Fiche FA 1.1", "Statut : Peut-être\nThèmes : Cancers") in aside
    assert ("Fiche 1.2", "Lien PRS : Objectif 4") in aside
    assert len(aside) == 2
    assert data["extensions"]["spreadsheets"]["action_details"] == [
        {"axis": 0, "action": 1, "status": "in_progress"}
    ]
