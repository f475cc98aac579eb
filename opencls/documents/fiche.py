"""One fiche action as a one-page PDF, to hand to its porteur."""

from django.db.models import Prefetch
from django.template.loader import render_to_string

from opencls.actions.models import Action, ActionOrganisation, FundingLine, Operation, OperationOrganisation


def fiche_action(contract, pk: int, *, public_only: bool = False) -> Action:
    """The action read through its contract (no IDOR), with everything the fiche prints."""
    from django.shortcuts import get_object_or_404

    org = "organisation"
    queryset = Action.objects.select_related("axis", "objective", "contract__territory").prefetch_related(
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
    if public_only:
        queryset = queryset.filter(is_public=True)
    return get_object_or_404(queryset, pk=pk, contract=contract)


# Font sizes tried in turn until the fiche fits on one page (the longest fiches of 004 need 7 pt).
FONT_SIZES = (8.5, 7.5, 6.8, 6.2)


def render_fiche_html(action: Action, font_size: float = FONT_SIZES[0]) -> str:
    return render_to_string(
        "documents/fiche_pdf.html", {"action": action, "axis": action.axis, "font_size": font_size}
    )


def render_fiche_pdf(action: Action) -> bytes:
    """The fiche on one A4 page: the text shrinks until it fits (a very long fiche, past the
    smallest size, runs onto a second page rather than losing text)."""
    from weasyprint import HTML

    for font_size in FONT_SIZES:
        document = HTML(string=render_fiche_html(action, font_size)).render()
        if len(document.pages) == 1:
            break
    return document.write_pdf()
