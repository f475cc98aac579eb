"""The articles of the contract: a default model in the seeds' wording, the coordinator's edits.

A contract without stored articles uses the default model (003 and 004 wording). Bodies may hold
placeholders in braces, filled from the contract's data when the document is generated, so the
list of signatories or of axes stays right after an amendment:

{signataires} {territoire} {communes} {nombre_communes} {population} {axes} {nombre_actions}
{periode} {prs} {cofinancement}

Any other text in braces is left as written.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from opencls.contracts.models import Contract
from opencls.core.text import normalize_text
from opencls.documents.models import ContractArticle


@dataclass(frozen=True)
class ArticleModel:
    key: str
    title: str
    body: str


DEFAULT_ARTICLES = [
    ArticleModel(
        "objet",
        "Objet du contrat",
        """Le présent contrat a pour objet de définir les engagements des signataires relatifs à son contenu, sa mise en œuvre, sa gouvernance, sa coordination et son évaluation.

Les engagements peuvent être déclinés par signataires :

**Pour l'Agence Régionale de Santé :**
- Présenter les objectifs du Projet Régional de Santé déclinables par un CLS ;
- Fournir des données de diagnostic, de suivi et d'évaluation à l'échelle du territoire ;
- Permettre aux projets du CLS de s'articuler au mieux dans les plans d'actions du PRS et faire le lien avec les possibilités d'accompagnement et de financement ;
- Participer à l'ensemble des instances du CLS.

**Pour la ou les collectivités porteuses :**
- Assurer la coordination sur le périmètre du CLS ;
- Provoquer la réunion des différentes instances et en assurer l'organisation et la gestion ;
- Mobiliser les acteurs locaux dans les groupes de travail et dans la mise en œuvre du plan d'actions ;
- Participer à l'évaluation du CLS avec l'appui de l'ARS et des autres signataires.

**Pour les autres signataires :**
- Participer aux instances décisionnelles du CLS et aux groupes de travail relevant de leur champ d'actions ;
- Faire le lien entre les projets du CLS et leurs propres possibilités d'accompagnement et de financement ;
- Participer à l'évaluation du CLS pour ce qui relève de leur intervention.

De nouveaux partenaires pourront être associés au présent contrat par voie d'avenant après validation par les parties au contrat.""",
    ),
    ArticleModel(
        "parties",
        "Les parties signataires",
        """Le présent contrat est conclu entre :

{signataires}""",
    ),
    ArticleModel(
        "territoire",
        "Périmètre géographique du contrat",
        """Le présent contrat concerne le territoire {territoire}. Il recouvre {nombre_communes} communes et concerne {population} habitants.

{communes}""",
    ),
    ArticleModel(
        "orientations",
        "Orientations stratégiques et plan d'actions",
        """Le présent contrat vise à réduire les inégalités sociales et territoriales de santé en s'ajustant aux besoins de santé locaux des populations les plus fragiles.

Au regard des problématiques locales diagnostiquées, les orientations stratégiques suivantes sont retenues :

{axes}

Chaque orientation stratégique se décline en {nombre_actions} fiches actions. Le plan d'actions, figurant en annexe, s'inscrit dans la transversalité, le partenariat et la complémentarité des politiques menées par les signataires et partenaires.""",
    ),
    ArticleModel(
        "gouvernance",
        "Modalités de gouvernance",
        """**Le comité de pilotage (COPIL)** est l'instance stratégique et décisionnelle, coanimée par l'ARS et la collectivité porteuse. Sont membres de droit l'ensemble des signataires. Il a pour mission de :
- Suivre la mise en œuvre et l'évaluation du présent contrat ;
- Veiller à la cohérence de l'intervention des différents partenaires ;
- Valider les éventuels avenants : nouvelles orientations et actions à inscrire au contrat, nouveaux signataires.

Le comité de pilotage se réunit autant que de besoin et au minimum une fois par an.

**Le comité technique (COTECH)** est composé des représentants techniques des différents signataires. Il prépare les comités de pilotage, mobilise les partenaires du territoire, s'assure de la réalisation des actions et participe à l'évaluation. Il se réunit autant que de besoin et au minimum une fois par an.

**Les groupes de travail** thématiques sont mis en place, autant que de besoin, pour conduire des réflexions partagées et/ou organiser le montage des projets et leur évaluation.""",
    ),
    ArticleModel(
        "coordination",
        "Coordination du CLS et financement de la coordination",
        """Sous la responsabilité du comité de pilotage et durant la durée du contrat, la coordinatrice ou le coordinateur a pour mission de :
- Animer le CLS dans la durée en assurant la coordination des partenaires autour de l'élaboration, la mise en œuvre, le suivi et l'évaluation ;
- Organiser les instances du CLS : comité de pilotage, comité technique et groupes de travail ;
- Veiller à la cohérence des actions au niveau local avec les autres démarches territoriales ;
- Favoriser la communication autour de la démarche et des actions du CLS ;
- Assurer le suivi, y compris financier, des actions sur la base d'outils de programmation partagés.

L'ARS et les collectivités associées cofinancent le poste de coordination durant la durée du contrat local de santé selon la répartition suivante :

{cofinancement}""",
    ),
    ArticleModel(
        "financement",
        "Modalités de financement des actions",
        """Les parties au contrat s'accordent pour mobiliser, dans la mesure du possible, les moyens financiers en fonction de leurs crédits disponibles s'inscrivant dans leur champ de compétences de façon à soutenir, à titre prioritaire, les actions du plan d'actions.

En tout état de cause, le financement de ces actions devra respecter les procédures de droit commun mises en place par chaque partie au contrat et celles relatives aux crédits de la politique de la ville.""",
    ),
    ArticleModel(
        "evaluation",
        "Suivi et évaluation du contrat",
        """Dans une logique d'évaluation de l'efficacité de l'action publique menée, des indicateurs d'évaluation sont identifiés pour chacune des actions et opérations inscrites et annexées au contrat.

Sur la base de ces indicateurs, les parties signataires s'engagent à présenter au comité de pilotage une évaluation annuelle des actions.

Une évaluation globale sera par ailleurs réalisée à l'issue de la période d'application du contrat, visant à mesurer les résultats produits et le degré d'atteinte des objectifs fixés initialement.""",
    ),
    ArticleModel(
        "communication",
        "Communication",
        """Les parties au contrat décident et réalisent, d'un commun accord, les actions de communication relatives au présent contrat. Les supports communs sont validés par le comité de pilotage et font apparaître les logos de chacune des parties au contrat.""",
    ),
    ArticleModel(
        "modification",
        "Révision et résiliation du contrat",
        """Au cours de sa période de validité, le contrat peut être modifié et/ou complété par voie d'avenant, à la demande de l'une ou l'autre des parties signataires et après proposition du comité de pilotage. L'avenant devra être signé par l'ensemble des signataires du contrat.

Le présent contrat peut par ailleurs être résilié par l'une ou l'autre des parties, sous réserve du respect d'un délai de préavis de trois mois, formalisé par lettre recommandée avec avis de réception, adressée à l'ensemble des parties au présent contrat.""",
    ),
    ArticleModel(
        "duree",
        "Prise d'effet et durée du contrat",
        """Le présent contrat est conclu à compter de la date de signature, {periode}.""",
    ),
]
DEFAULT_KEYS = {model.key: model for model in DEFAULT_ARTICLES}
PLACEHOLDERS = (
    "signataires",
    "territoire",
    "communes",
    "nombre_communes",
    "population",
    "axes",
    "nombre_actions",
    "periode",
    "prs",
    "cofinancement",
)
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


def default_articles(contract: Contract) -> list[ContractArticle]:
    """The default model as unsaved rows, numbered in order."""
    return [
        ContractArticle(contract=contract, key=m.key, number=str(n), title=m.title, body=m.body, position=n)
        for n, m in enumerate(DEFAULT_ARTICLES, start=1)
    ]


def contract_articles(contract: Contract) -> list[ContractArticle]:
    """The articles the document prints: the stored ones, or the default model when none is stored."""
    stored = list(ContractArticle.objects.filter(contract=contract))
    return stored or default_articles(contract)


def fill(body: str, values: dict[str, str]) -> str:
    """The body with its known placeholders replaced; other braces kept as written."""
    return _PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), body)


def _number(value) -> str:
    return f"{value:,}".replace(",", "\u202f") if isinstance(value, int) else str(value)


def placeholder_values(
    contract: Contract, *, signatories, axes, municipalities, action_count, shares
) -> dict:
    """What each placeholder stands for in this contract (no query: everything is passed in)."""
    territory = contract.territory
    population = territory.stated_population or sum(m.population or 0 for m in municipalities) or "—"
    municipality_count = territory.stated_municipality_count or len(municipalities) or "—"
    if contract.start_date and contract.end_date:
        period = _("pour la période du %(start)s au %(end)s") % {
            "start": contract.start_date.strftime("%d/%m/%Y"),
            "end": contract.end_date.strftime("%d/%m/%Y"),
        }
    elif contract.regional_health_plan:
        period = _("pour toute la durée du %(plan)s") % {"plan": contract.regional_health_plan}
    else:
        period = _("pour toute la durée du Projet Régional de Santé")
    share_lines = [
        f"- {share.stated_percentage:.2f} % ".replace(".", ",")
        + (_("financés par %(who)s") % {"who": share.municipality.name if share.municipality else _("l'ARS")})
        + " ;"
        for share in shares
    ]
    return {
        "signataires": "\n".join(f"- {s.organisation.name} ;" for s in signatories) or "—",
        "territoire": territory.name,
        "communes": (_("Communes : %(names)s.") % {"names": ", ".join(m.name for m in municipalities)})
        if municipalities
        else "",
        "nombre_communes": _number(municipality_count),
        "population": _number(population),
        "axes": "\n".join(f"- **{a.code or _('Axe')}** : {a.title} ;" for a in axes) or "—",
        "nombre_actions": _number(action_count),
        "periode": period,
        "prs": contract.regional_health_plan or _("Projet Régional de Santé"),
        "cofinancement": "\n".join(share_lines)
        or _("la répartition définie par la convention de financement entre les parties."),
    }


@transaction.atomic
def article_save(*, user, contract: Contract, key: str, number: str, title: str, body: str) -> bool:
    """Writes one article; the first edit stores the whole model so the numbering stays whole.
    Returns False when nothing changed (an untouched form saves nothing)."""
    articles = {a.key: a for a in contract_articles(contract)}
    article = articles[key]
    number, title, body = (normalize_text(value).strip() for value in (number, title, body))
    if (article.number, article.title, normalize_text(article.body).strip()) == (number, title, body):
        return False
    if article.pk is None:  # the first edit stores the whole model, this article as edited
        article.number, article.title, article.body = number, title, body
        for other in articles.values():
            other.updated_by = user
            other.full_clean()
            other.save()
        return True
    article.number, article.title, article.body, article.updated_by = number, title, body, user
    article.full_clean()
    article.save()
    return True


@transaction.atomic
def articles_store_defaults(contract: Contract, *, user=None) -> int:
    """Stores the default model for a contract that has none (demo, renewal). Idempotent."""
    if ContractArticle.objects.filter(contract=contract).exists():
        return 0
    articles = default_articles(contract)
    for article in articles:
        article.updated_by = user
        article.save()
    return len(articles)
