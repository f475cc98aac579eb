"""Target proposals on every deliverable sentence of seed 004 (CLSI Marque et Mélantois)."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from opencls.monitoring.targets import best_indicator, propose_target

SEED_004 = Path(__file__).resolve().parents[2] / "demo" / "seeds" / "004_clsi_marque_melantois.txt"
DELIVERABLE_ROW = re.compile(r"^(LIVRABLES ATTENDUS|RÉSULTATS ATTENDUS)\s(.*)$", re.MULTILINE)

YEAR = "year"
# (sentence as written in 004, expected value, periodicity, per municipality); value None: nothing countable.
SENTENCES_004 = [
    # FA 1.1
    (
        "Organisation d'au moins deux sessions de sensibilisation par an (toutes thématiques confondues)",
        2,
        YEAR,
        False,
    ),
    ("Guide de recommandations", None, None, False),
    (
        "Ensemble des établissements du secondaire touchés par au moins une action de sensibilisation",
        None,
        None,
        False,
    ),
    # FA 1.2
    ("/", None, None, False),
    (
        "Recueil des thématiques abordées en consultations afin d'améliorer la pertinence des actions "
        "sur le territoire",
        None,
        None,
        False,
    ),
    # FA 1.3
    (
        "Fiche d'orientation à destination des professionnels au contact du public concerné / à risque",
        None,
        None,
        False,
    ),
    (
        "Méthodologie d'articulation entre secteurs psychiatrique et addictologie pour la prise en charge "
        "des personnes concernées",
        None,
        None,
        False,
    ),
    # FA 2.1
    ("Organisation d'au moins un évènement de dépistages organisés par an", 1, YEAR, False),
    ("Recrutement d'au moins 5 ambassadeurs et ambassadrices santé (cf FA 3.1)", 5, None, False),
    (
        "Réalisation d'au moins un évènement de sensibilisation par le groupe ambassadeur santé (cf FA 3.1)",
        1,
        None,
        False,
    ),
    ("Formation d'une personne référente santé par commune", 1, None, True),
    (
        "Organisation d'au moins une session d'information à destination du personnel d'accueil des collectivités",
        1,
        None,
        False,
    ),
    # FA 2.2
    ("Mise en place d'au moins un cycle d'accompagnement PréSaFe", 1, None, False),
    ("Mise en place d'au moins trois permanences tempoforme®", 3, None, False),
    (
        "Mise en place d'au moins deux sessions de sensibilisation sur l'accessibilité et l'inclusion auprès "
        "des professionnels du médical, paramédical et d'accueil",
        2,
        None,
        False,
    ),
    # FA 2.3
    (
        "Organiser au moins deux sessions d'informations sur l'APA sur prescription à destination des "
        "professionnels de santé",
        2,
        None,
        False,
    ),
    (
        "Participer à au moins deux évènements d'informations au grand public en lien avec l'activité physique "
        "et l'activité physique adaptée",
        2,
        None,
        False,
    ),
    # FA 2.4
    (
        "Réaliser au moins deux sessions de montée en compétences pour les animateurs et animatrices des "
        "centres d'accueil",
        2,
        None,
        False,
    ),
    ("Outil de recensement des activités liées à la nutrition sur le territoire", None, None, False),
    (
        "Outil commun pour la mise en œuvre d'ateliers cuisine (charte collective co- construite par exemple)",
        None,
        None,
        False,
    ),
    (
        "Proposition d'un projet structurant pour le territoire issu du groupe de réflexion sur "
        "l'alimentation durable",
        None,
        None,
        False,
    ),
    # FA 2.5
    ("Proposition d'un plan local de lutte contre la précarité alimentaire", None, None, False),
    ("Création d'un rendez-vous régulier pour les partenaires de la LPA", None, None, False),
    # FA 3.1
    ("Réalisation de deux communications par le CLSI2M concernant la qualité de l'air", 2, None, False),
    (
        "Formation d'au moins une personne par commune pour le respect des recommandations en qualité de "
        "l'air en ERP",
        1,
        None,
        True,
    ),
    ("Recrutement d'au moins 5 ambassadeurs et ambassadrices santé (cf FA 2.1)", 5, None, False),
    ("Formation d'au moins 8 ambassadeurs et ambassadrices santé", 8, None, False),
    (
        "Réalisation d'au moins un évènement de sensibilisation par le groupe d'ambassadeurs santé (cf FA 2.1)",
        1,
        None,
        False,
    ),
    (
        "Organisation d'au moins deux sessions de sensibilisation à destination des professionnels de santé",
        2,
        None,
        False,
    ),
    ("Mise en place d'au moins deux dépistages pour les BPCO", 2, None, False),
    # FA 3.2
    (
        "Réaliser au moins 3 communications officielles du CLSI2M (dont une sur l'ordonnance verte)",
        3,
        None,
        False,
    ),
    ("Accompagner 50 femmes dans le dispositif ordonnance verte", 50, None, False),
    ("Réaliser au moins trois actions de sensibilisation en milieu scolaire", 3, None, False),
    ("Réaliser au moins trois actions de sensibilisation pour les professionnels", 3, None, False),
    # FA 3.3
    (
        "Création d'un outil commun pour le recensement des besoins et attentes des populations accompagnées "
        "concernant leur santé",
        None,
        None,
        False,
    ),
    (
        "Organisation d'au moins deux demi-journées de sensibilisation à destination des professionnels du "
        "logement et des collectivités",
        2,
        None,
        False,
    ),
    (
        "Organisation d'au moins deux rencontres pour les professionnels du logement et des collectivités",
        2,
        None,
        False,
    ),
    # FA 3.4
    ("Mise en place d'un plan canicule et grand froid dans chaque commune", 1, None, True),
    ("Création d'au moins une cartographie intégrant zones bleues et zones vertes", 1, None, False),
    # FA 3.5
    ("Organiser au moins une action de sensibilisation dans les écoles ;", 1, None, False),
    ("Intégration de la thématique aux évènements de sensibilisation du grand public ;", None, None, False),
    (
        "Organiser au moins deux actions de sensibilisation et formations à destination des agents et "
        "personnes élues des collectivités;",
        2,
        None,
        False,
    ),
    (
        "Définir une personne référente par commune pour réaliser les signalements sur les plateformes ;",
        1,
        None,
        True,
    ),
    ("Prise en considération du sujet dans les documents d'urbanisme.", None, None, False),
    # FA 3.6
    (
        "Diffusion des outils de communication existants : réseaux sociaux, courriels, site internet, "
        "événements de type journée nature, journée science",
        None,
        None,
        False,
    ),
    (
        "Connaissance sur le territoire du plan d'action sur les EESH, des outils de mobilisation sociale, "
        "des plateformes de signalement, etc.",
        None,
        None,
        False,
    ),
    # FA 4.1 (RÉSULTATS ATTENDUS)
    ("Élargissement du périmètre du CISM", None, None, False),
]


@pytest.mark.parametrize(("sentence", "value", "periodicity", "per_municipality"), SENTENCES_004)
def test_target_proposed_from_each_deliverable_of_004(sentence, value, periodicity, per_municipality):
    proposal = propose_target(sentence)
    if value is None:
        assert proposal is None
    else:
        assert proposal is not None
        assert proposal.value == Decimal(value)
        assert proposal.periodicity == periodicity
        assert proposal.per_municipality is per_municipality


def test_the_table_covers_every_deliverable_row_of_004():
    """Every sentence above is in 004, and nothing of 004's deliverable rows is left out."""
    rows = [match.group(2) for match in DELIVERABLE_ROW.finditer(SEED_004.read_text(encoding="utf-8"))]
    assert len(rows) == 15  # one row per fiche action
    remaining = " ".join(" ".join(row.split()) for row in rows)
    for sentence, *_ in sorted(SENTENCES_004, key=lambda row: -len(row[0])):
        assert sentence in remaining or sentence == "/", sentence
        remaining = remaining.replace(sentence, " ", 1)
    assert re.sub(r"[\s/;.]", "", remaining) == ""


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Au moins une réunion", 1),
        ("Au moins deux réunions", 2),
        ("Au moins trois réunions", 3),
        ("Au moins quatre réunions", 4),
        ("Au moins cinq réunions", 5),
        ("Au moins six réunions", 6),
        ("Au moins sept réunions", 7),
        ("Au moins huit réunions", 8),
        ("Au moins neuf réunions", 9),
        ("Au moins dix réunions", 10),
        ("Au moins 12 réunions", 12),
        ("Au minimum 2,5 jours de formation", Decimal("2.5")),
        ("Organisation d’au moins deux forums", 2),  # typographic apostrophe
    ],
)
def test_french_number_words_and_digits(sentence, value):
    assert propose_target(sentence).value == Decimal(value)


@pytest.mark.parametrize(
    ("sentence", "value", "periodicity"),
    [
        ("Une réunion par semestre", 1, "semester"),
        ("Deux bulletins par trimestre", 2, "quarter"),
        ("Un forum annuel", 1, "year"),
        ("Un forum chaque année", 1, "year"),
    ],
)
def test_periodicity_read_from_the_wording(sentence, value, periodicity):
    proposal = propose_target(sentence)
    assert (proposal.value, proposal.periodicity) == (value, periodicity)


@pytest.mark.parametrize(
    "sentence",
    [
        "",
        "Bilan de l'action 2026",  # a year is not a count
        "Suivi de la FA 3.1",  # nor a reference to another fiche action
        "Participation du CLSI2M",  # nor a digit inside a name
        "Création d'un annuaire",  # nor an article
    ],
)
def test_nothing_countable(sentence):
    assert propose_target(sentence) is None


def test_clauses_are_read_separately():
    # Two deliverables of FA 3.5 left in one text: the count of the first is not « par commune ».
    proposal = propose_target(
        "Organiser au moins deux actions de sensibilisation et formations à destination des agents et "
        "personnes élues des collectivités; Définir une personne référente par commune"
    )
    assert (proposal.value, proposal.per_municipality) == (2, False)
    proposal = propose_target("Intégration de la thématique ; Définir une personne référente par commune")
    assert (proposal.value, proposal.per_municipality) == (1, True)


def test_per_municipality_proposal_scales_with_the_territory():
    proposal = propose_target("Formation d'une personne référente santé par commune")
    assert proposal.value_for(11) == 11
    assert proposal.value_for(0) == 1
    assert proposal.fragment == "une personne"


def test_best_indicator_is_the_one_sharing_most_words():
    class Indicator:
        def __init__(self, label):
            self.label = label

    satisfaction = Indicator("Satisfaction des partenaires")
    sessions = Indicator("Nombre de sessions de formation ou de sensibilisation")
    chosen = best_indicator(
        "Organisation d'au moins deux sessions de sensibilisation par an", [satisfaction, sessions]
    )
    assert chosen is sessions
    assert best_indicator("Guide", []) is None
