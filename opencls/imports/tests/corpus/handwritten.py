"""Two plans written by hand for the corpus, on the seeds' territories, in wordings the seeds do not use."""

from opencls.imports.tests.corpus.documents import LENS_COVER, MELANTOIS_COVER, CorpusDocument

LENS_BODY = [
    ("h", 2, "Article 3 – Le programme d'actions"),
    ("h", 2, "AXE 1 - Accès aux soins de proximité"),
    ("h", 3, "FA 1 : Accueillir les internes en médecine générale"),
    ("p", "Maître d'ouvrage : Communauté d'Agglomération de Lens-Liévin"),
    ("p", "Partenaires associés : Centre Hospitalier de Lens, CPAM Artois"),
    ("p", "Bénéficiaires : Internes et jeunes médecins"),
    ("p", "État d'avancement : En cours de réalisation"),
    ("p", "Priorité : Haute"),
    ("p", "Échéance : du 1er septembre 2025 au 31 août 2027"),
    ("p", "Thèmes : Démographie médicale"),
    ("p", "Indicateurs d'évaluation : Nombre d'internes accueillis"),
    ("h", 3, "FA 2 : Développer la télésanté dans les EHPAD"),
    ("t", [["Référent", "Centre Hospitalier de Lens"],
           ["Acteurs et partenaires", "Conseil Départemental du Pas-de-Calais"],
           ["Statut", "Non démarrée"],
           ["Niveau de priorité", "Moyenne"],
           ["Date de début", "01/01/2026"],
           ["Date de fin", "31/12/2027"],
           ["Lien avec le PRS", "Objectif 4"]]),
    ("h", 2, "AXE 2 - Prévention et promotion de la santé"),
    ("h", 3, "FA 3 : Prévenir les addictions chez les jeunes"),
    ("b", "Porteur(s) : Education Nationale ; Communauté d'Agglomération de Lens-Liévin"),
    ("b", "Public(s) cible(s) : Collégiens et lycéens"),
    ("b", "Statut : Abandonnée"),
    ("b", "Calendrier : de janvier à juin 2026"),
    ("h", 2, "Article 5 – Modalités de gouvernance"),
    ("p", "Le comité de pilotage (COPIL) est coprésidé par l'ARS et la Communauté d'Agglomération de "
          "Lens-Liévin. Il se réunit au moins deux fois par an."),
    ("p", "Le comité technique (COTECH) réunit les référents techniques des signataires."),
]  # fmt: skip
LENS_EXPECTED = [
    {"code": "FA 1", "axis": "1", "title": "Accueillir les internes en médecine générale",
     "leads": ["Communauté d'Agglomération de Lens-Liévin"], "partners": ["Centre Hospitalier de Lens", "CPAM Artois"],
     "target_publics": "Internes et jeunes médecins", "status": "in_progress", "priority": "high",
     "start_date": "2025-09-01", "end_date": "2027-08-31"},
    {"code": "FA 2", "axis": "1", "title": "Développer la télésanté dans les EHPAD",
     "leads": ["Centre Hospitalier de Lens"], "partners": ["Conseil Départemental du Pas-de-Calais"],
     "status": "not_started", "priority": "medium", "start_date": "2026-01-01", "end_date": "2027-12-31"},
    {"code": "FA 3", "axis": "2", "title": "Prévenir les addictions chez les jeunes",
     "leads": ["Education Nationale", "Communauté d'Agglomération de Lens-Liévin"],
     "target_publics": "Collégiens et lycéens", "status": "abandoned", "start_date": "2026-01-01",
     "end_date": "2026-06-30"},
]  # fmt: skip

MELANTOIS_BODY = [
    ("h", 2, "Tableau de bord des actions"),
    ("t", [["Axe", "Sous-axe", "Titre de la fiche action", "Structure pilote", "Partenaires", "Statut",
            "Niveau de priorité", "Date de début", "Date de fin"],
           ["1. Addictions", "1.1 Prévenir", "Sensibiliser les collégiens aux écrans", "Ville de Villeneuve d'Ascq",
            "Commune de Baisieux", "À venir", "Élevé", "01/09/2026", "30/06/2027"],
           ["1. Addictions", "1.1 Prévenir", "Former les animateurs jeunesse", "Commune de Willems", "",
            "En cours", "Moyen", "01/01/2026", "31/12/2026"],
           ["2. Santé mentale", "2.1 Repérer", "Organiser les semaines d'information sur la santé mentale",
            "Commune de Gruson", "Commune de Bouvines, Commune de Forest-sur-Marque", "Réalisé", "Bas",
            "01/03/2025", "31/03/2025"]]),
]  # fmt: skip
MELANTOIS_EXPECTED = [
    {"axis": "1", "title": "Sensibiliser les collégiens aux écrans", "leads": ["Ville de Villeneuve d'Ascq"],
     "partners": ["Commune de Baisieux"], "status": "not_started", "priority": "high",
     "start_date": "2026-09-01", "end_date": "2027-06-30"},
    {"axis": "1", "title": "Former les animateurs jeunesse", "leads": ["Commune de Willems"],
     "status": "in_progress", "priority": "medium", "start_date": "2026-01-01", "end_date": "2026-12-31"},
    {"axis": "2", "title": "Organiser les semaines d'information sur la santé mentale",
     "leads": ["Commune de Gruson"], "partners": ["Commune de Bouvines", "Commune de Forest-sur-Marque"],
     "status": "done", "priority": "low", "start_date": "2025-03-01", "end_date": "2025-03-31"},
]  # fmt: skip

HANDWRITTEN = (
    CorpusDocument("main_lens_lievin", "à la main : libellés variés, tableau, puces, gouvernance", "md",
                   tuple(LENS_COVER + LENS_BODY), tuple(LENS_EXPECTED)),
    CorpusDocument("main_melantois_tableau_tet", "à la main : tableau aux colonnes du modèle TeT", "pdf",
                   tuple(MELANTOIS_COVER + MELANTOIS_BODY), tuple(MELANTOIS_EXPECTED)),
)  # fmt: skip
