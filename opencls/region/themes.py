"""Themes of the actions: suggested from their text, confirmed or rejected by the coordinator."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from opencls.actions.models import Action, ActionOrganisation, Indicator, Operation
from opencls.contracts.models import Contract
from opencls.region.models import ActionTheme, Theme
from opencls.region.text import contains_phrase, stems


@dataclass(frozen=True)
class CompiledTheme:
    theme: Theme
    phrases: tuple[tuple[tuple[str, ...], str], ...]  # (stems, keyword as written)


def compiled_themes() -> list[CompiledTheme]:
    compiled = []
    for theme in Theme.objects.all():
        phrases = tuple((tuple(stems(keyword)), keyword) for keyword in theme.keyword_list if stems(keyword))
        compiled.append(CompiledTheme(theme, phrases))
    return compiled


def action_text(action: Action) -> str:
    """What the suggestion reads: title, description, publics, context, area, indicators, and
    the operations' titles, descriptions, objectives and publics (prefetched)."""
    parts = [action.title, action.description, action.target_publics, action.context]
    parts += [indicator.label for indicator in action.indicators.all()]
    for operation in action.operations.all():
        parts += [operation.title, operation.description, operation.objective_text, operation.target_publics]
    return "\n".join(part for part in parts if part)


# A theme is suggested when one of its keywords is in the action's title, or when the text holds
# at least this many of its distinct keywords (one word in passing is not a theme).
MIN_KEYWORDS = 3


def themes_of_text(text: str, themes: list[CompiledTheme], title: str = "") -> list[tuple[Theme, list[str]]]:
    """Themes whose keywords occur in `title` or often enough in `text`, with the keywords found."""
    text_stems, title_stems = stems(text), stems(title)
    found = []
    for compiled in themes:
        matched, in_title, seen = [], False, set()
        for phrase, keyword in compiled.phrases:
            if phrase in seen:
                continue
            if contains_phrase(title_stems, list(phrase)):
                in_title = True
            elif not contains_phrase(text_stems, list(phrase)):
                continue
            seen.add(phrase)
            matched.append(keyword)
        if in_title or len(matched) >= MIN_KEYWORDS:
            found.append((compiled.theme, matched))
    return found


def contract_actions_for_themes(contract: Contract):
    return Action.objects.filter(contract=contract).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.only("pk", "action_id", "label")),
        Prefetch(
            "operations",
            queryset=Operation.objects.only(
                "pk", "action_id", "title", "description", "objective_text", "target_publics"
            ),
        ),
    )


@transaction.atomic
def suggest_themes(contract: Contract, *, actions=None) -> int:
    """Adds the suggestions the actions' text calls for; never touches a theme already decided
    (confirmed or rejected) nor one already suggested. Returns the number of new suggestions."""
    themes = compiled_themes()
    actions = list(actions if actions is not None else contract_actions_for_themes(contract))
    existing = set(ActionTheme.objects.filter(action__in=actions).values_list("action_id", "theme_id"))
    new = []
    for action in actions:
        for theme, matched in themes_of_text(action_text(action), themes, action.title):
            if (action.pk, theme.pk) in existing:
                continue
            new.append(
                ActionTheme(
                    contract=contract,
                    action=action,
                    theme=theme,
                    state=ActionTheme.State.SUGGESTED,
                    matched=", ".join(matched)[:300],
                )
            )
    if new:
        bulk_create_with_history(new, ActionTheme, batch_size=500)
    return len(new)


@transaction.atomic
def theme_decide(link: ActionTheme, state: str, *, user) -> bool:
    """Confirm or reject a theme of an action (or set it back to suggested). False: unchanged."""
    if state not in ActionTheme.State.values:
        raise ValueError(state)
    link = ActionTheme.objects.select_for_update().get(pk=link.pk)
    if link.state == state:
        return False
    link.state = state
    link.decided_by = user
    link.decided_at = timezone.now()
    link.save()
    return True


@transaction.atomic
def theme_add(action: Action, theme: Theme, *, user) -> ActionTheme:
    """The coordinator tags an action with a theme the text did not suggest (confirmed at once)."""
    link, created = ActionTheme.objects.select_for_update().get_or_create(
        action=action,
        theme=theme,
        defaults={
            "contract_id": action.contract_id,
            "state": ActionTheme.State.CONFIRMED,
            "decided_by": user,
            "decided_at": timezone.now(),
        },
    )
    if not created and link.state != ActionTheme.State.CONFIRMED:
        theme_decide(link, ActionTheme.State.CONFIRMED, user=user)
        link.refresh_from_db()
    return link


def contract_theme_rows(contract: Contract):
    """The contract's actions with their theme links (2 queries)."""
    return (
        Action.objects.filter(contract=contract)
        .select_related("axis")
        .prefetch_related(
            Prefetch("theme_links", queryset=ActionTheme.objects.select_related("theme")),
            Prefetch("involvements", queryset=ActionOrganisation.objects.select_related("organisation")),
        )
    )


def theme_matrix(contract_ids, themes: list[Theme]) -> dict[tuple[int, int], int]:
    """(contract id, theme id) → number of actions with that theme confirmed or suggested."""
    rows = (
        ActionTheme.objects.filter(contract_id__in=contract_ids)
        .exclude(state=ActionTheme.State.REJECTED)
        .values_list("contract_id", "theme_id")
        .annotate(
            n=Count("action", distinct=True),
            confirmed=Count("pk", filter=Q(state=ActionTheme.State.CONFIRMED)),
        )
        .order_by()
    )
    matrix = defaultdict(lambda: (0, 0))
    for contract_id, theme_id, n, confirmed in rows:
        matrix[contract_id, theme_id] = (n, confirmed)
    return matrix
