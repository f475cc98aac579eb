"""What every governance page shares: breadcrumbs, the generic form page, turning rule errors into form errors."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from opencls.governance.services import GovernanceError


def breadcrumb(contract, *links: tuple[str, str], current: str) -> dict:
    return {
        "links": [
            {"url": reverse("contracts:detail", args=[contract.pk]), "title": str(contract)},
            {"url": reverse("governance:overview", args=[contract.pk]), "title": _("Gouvernance")},
            *({"url": url, "title": title} for url, title in links),
        ],
        "current": current,
    }


def attempt(form, write) -> bool:
    """Run `write()`; a broken rule becomes an error at the top of the form."""
    try:
        write()
    except GovernanceError as error:
        form.add_error(None, str(error))
        return False
    return True


def form_page(
    request, contract, form, *, title: str, back: str, crumbs=(), intro: str = "", submit: str = ""
):
    return render(
        request,
        "governance/form.html",
        {
            "contract": contract,
            "form": form,
            "title": title,
            "intro": intro,
            "back": back,
            "submit": submit or _("Enregistrer"),
            "breadcrumb_data": breadcrumb(contract, *crumbs, current=title),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
