"""The contract ready for signature, in the seeds' structure (003, 004): cover, parties, preamble
with the legal references, the articles, the table of actions, the fiches actions as annexes and
a signature page naming every signatory's representative and the deliberation that authorises it.

Gathered once (`contract_document_data`, a fixed number of queries), then rendered as HTML → PDF
(WeasyPrint) or DOCX (python-docx, docx_render.py). The public variant leaves out the actions kept
off the public page.
"""

import hashlib
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from opencls.actions.models import (
    Action,
    ActionOrganisation,
    FundingLine,
    Operation,
    OperationOrganisation,
)
from opencls.contracts.models import Axis, Contract, Signatory
from opencls.documents.articles import contract_articles, fill, placeholder_values
from opencls.finance.models import StatedShare
from opencls.governance.models import Deliberation
from opencls.governance.richtext import render_minutes
from opencls.territories.models import Municipality

LEGAL_REFERENCES = [
    "Vu le code de la santé publique, notamment les articles L1434-2 et L1434-10 ;",
    "Vu la loi n°2009-879 du 21 juillet 2009 portant réforme de l'hôpital et relative aux patients, "
    "à la santé et aux territoires (HPST), instaurant les contrats locaux de santé ;",
    "Vu la loi n°2016-41 du 26 janvier 2016 de modernisation de notre système de santé, notamment son article 158 ;",
]
L1434_10 = (
    "Selon l'article L.1434-10 du code de la santé publique : « la mise en œuvre du projet régional de "
    "santé peut faire l'objet de contrats locaux de santé conclus par l'agence régionale de santé "
    "notamment avec les collectivités territoriales et leurs groupements, portant sur la promotion de la "
    "santé, la prévention, les politiques de soins et l'accompagnement médico-social et social. »"
)


@dataclass
class Party:
    signatory: Signatory
    deliberation: Deliberation | None

    @property
    def name(self) -> str:
        return self.signatory.organisation.name

    @property
    def represented(self) -> str:
        """« …, représentée par Président M. X, dûment autorisée à signer le présent contrat… »"""
        s = self.signatory
        text = ""
        if s.representative or s.representative_title:
            text += ", " + _("représentée par %(who)s") % {
                "who": " ".join(filter(None, [s.representative_title, s.representative]))
            }
        text += ", " + _("dûment autorisée à signer le présent contrat")
        if self.deliberation is not None:
            text += " " + _("par la délibération %(deliberation)s") % {"deliberation": self.deliberation_text}
        return text + "."

    @property
    def deliberation_text(self) -> str:
        if self.deliberation is None:
            return ""
        text = str(self.deliberation)
        if self.deliberation.body:
            text += f" ({self.deliberation.body})"
        return text


@dataclass
class Article:
    number: str
    title: str
    body: str  # placeholders filled

    @property
    def html(self):
        return render_minutes(self.body)


@dataclass
class DocumentAxis:
    axis: Axis
    actions: list[Action] = field(default_factory=list)


@dataclass
class ContractDocumentData:
    contract: Contract
    parties: list[Party]
    references: list[str]
    articles: list[Article]
    axes: list[DocumentAxis]
    public: bool

    @property
    def actions(self) -> list[Action]:
        return [a for axis in self.axes for a in axis.actions]

    @property
    def title(self) -> str:
        return self.contract.title


def _actions_queryset(public: bool):
    org = "organisation"
    queryset = (
        Action.objects.select_related("objective")
        .prefetch_related(
            Prefetch("involvements", queryset=ActionOrganisation.objects.select_related(org)),
            Prefetch(
                "operations",
                queryset=Operation.objects.prefetch_related(
                    Prefetch("involvements", queryset=OperationOrganisation.objects.select_related(org))
                ),
            ),
            "deliverables",
            "indicators",
            Prefetch("funding_lines", queryset=FundingLine.objects.select_related("funder")),
        )
        .order_by("position", "pk")
    )
    return queryset.filter(is_public=True) if public else queryset


def contract_document_data(contract: Contract, *, public: bool = False) -> ContractDocumentData:
    """Everything the document shows, in a fixed number of queries."""
    contract = Contract.objects.select_related("territory").get(pk=contract.pk)
    signatories = list(
        Signatory.objects.filter(contract=contract).select_related(
            "organisation", "signature_state__deliberation"
        )
    )
    parties = [
        Party(s, getattr(getattr(s, "signature_state", None), "deliberation", None)) for s in signatories
    ]
    axes = list(
        Axis.objects.filter(contract=contract).prefetch_related(
            Prefetch("actions", queryset=_actions_queryset(public))
        )
    )
    document_axes = [DocumentAxis(axis, list(axis.actions.all())) for axis in axes]
    municipalities = list(Municipality.objects.filter(territory_id=contract.territory_id).order_by("name"))
    shares = list(StatedShare.objects.filter(contract=contract).select_related("municipality"))
    shares.sort(key=lambda s: (s.municipality_id is not None, -s.stated_percentage))
    values = placeholder_values(
        contract,
        signatories=signatories,
        axes=axes,
        municipalities=municipalities,
        action_count=sum(len(a.actions) for a in document_axes),
        shares=shares,
    )
    articles = [Article(a.number, a.title, fill(a.body, values)) for a in contract_articles(contract)]
    references = list(LEGAL_REFERENCES)
    if contract.regional_health_plan:
        references.append(_("Vu le %(plan)s ;") % {"plan": contract.regional_health_plan})
    for party in parties:
        if party.deliberation is not None:
            references.append(
                _("Vu la délibération %(deliberation)s autorisant %(party)s à signer le présent contrat ;")
                % {"deliberation": party.deliberation_text, "party": party.name}
            )
    return ContractDocumentData(contract, parties, references, articles, document_axes, public)


def render_html(data: ContractDocumentData) -> str:
    return render_to_string("documents/contract_pdf.html", {"doc": data, "l1434_10": L1434_10})


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def render_pdf(data: ContractDocumentData) -> bytes:
    return html_to_pdf(render_html(data))


def render_docx(data: ContractDocumentData) -> bytes:
    from opencls.documents.docx_render import contract_docx

    return contract_docx(data)


def fingerprint(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()[:16]
