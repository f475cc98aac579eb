"""One way to ask before overwriting or deleting: a page that shows before → after.

A view that would replace or remove something already recorded calls `confirmation_page`
unless `is_confirmed(request)`: the page lists each replacement, re-posts the very same
form data with `confirmed=1` on « Confirmer », and « Annuler » goes back without writing.
"""

from dataclasses import dataclass

from django.shortcuts import render

CONFIRM_FIELD = "confirmed"


@dataclass(frozen=True)
class Replacement:
    label: str  # what is replaced (« Cible 2026 »)
    before: str  # as shown today
    after: str  # as it would be; "" for a deletion


def is_confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1"


def confirmation_page(
    request,
    *,
    context: dict,
    question: str,
    replacements: list[Replacement],
    cancel_url: str,
    confirm_label: str = "",
    action_url: str = "",
):
    """The page asking to confirm `replacements`; the POST it sends back is the one received."""
    reposted = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "core/confirm_replacements.html",
        {
            **context,
            "question": question,
            "replacements": replacements,
            "reposted": reposted,
            "cancel_url": cancel_url,
            "confirm_label": confirm_label,
            "action_url": action_url or request.get_full_path(),
            "confirm_field": CONFIRM_FIELD,
        },
    )
