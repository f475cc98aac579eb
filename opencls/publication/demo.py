"""Demo data of the citizen page (called by `load_demo`): each seed contract gets a published
version with a few public fiches' progress and indicator values, a public meeting, and one
approved question with its answer, the themes suggested on its fiches confirmed by the
coordinator and the indicators that have a breakdown published, so the citizen page shows themes,
QPV, participation and breakdowns. Idempotent: a contract that has a version is left alone."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from opencls.actions.models import Action, Indicator
from opencls.governance.models import GovernanceBody, Meeting
from opencls.monitoring.models import IndicatorValue, Status, StatusEntry
from opencls.monitoring.periods import periods_of_year
from opencls.publication import services
from opencls.publication.models import PublishedVersion, Suggestion

DEMO_STATUSES = [Status.DONE, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.POSTPONED]


def load_demo_publication(contract, coordinator) -> PublishedVersion | None:
    if PublishedVersion.objects.filter(contract=contract).exists():
        return None
    actions = list(Action.objects.filter(contract=contract))
    today = timezone.localdate()
    for index, action in enumerate(actions):
        action.is_public = True
        action.save(update_fields=["is_public"])
        if index < len(DEMO_STATUSES) and not action.status_entries.exists():
            StatusEntry.objects.create(
                contract=contract,
                action=action,
                status=DEMO_STATUSES[index],
                date=today - timedelta(days=30 * (index + 1)),
                comment="Étape de démonstration",
                author=coordinator,
            )
    indicators = list(Indicator.objects.filter(action__contract=contract)[:3])
    if not indicators and actions:  # 003 names no indicator: one, to show a published figure
        indicators = [
            Indicator.objects.create(
                action=actions[0],
                kind=Indicator.Kind.PROCESS,
                label="Nombre de participants",
                unit="personnes",
            )
        ]
    for offset, indicator in enumerate(indicators):
        indicator.is_public = True
        indicator.save(update_fields=["is_public"])
        for year, value in ((today.year - 2, 4 + offset), (today.year - 1, 9 + 2 * offset)):
            IndicatorValue.objects.get_or_create(
                contract=contract,
                indicator=indicator,
                period=periods_of_year(indicator.periodicity, year)[-1].code,
                defaults={"year": year, "value": Decimal(value), "comment": "Valeur de démonstration"},
            )
    body = GovernanceBody.objects.filter(contract=contract).order_by("position", "pk").first()
    if body is not None:
        Meeting.objects.get_or_create(
            contract=contract,
            body=body,
            title="Réunion publique : le contrat présenté aux habitants",
            defaults={
                "starts_at": timezone.make_aware(datetime.combine(today + timedelta(days=40), time(18, 0))),
                "place": "Salle des fêtes",
                "is_public": True,
                "created_by": coordinator,
            },
        )
    _confirm_themes_and_show_breakdowns(contract, coordinator)
    version = services.publish_version(contract, user=coordinator)
    first = actions[0] if actions else None
    suggestion = services.submit_suggestion(
        contract,
        action=first,
        action_label=str(first) if first else "",
        kind=Suggestion.Kind.QUESTION,
        message="Les ateliers sont-ils ouverts aux personnes qui ne parlent pas bien le français ?",
        author_name="Nadia",
        email="",
    )
    services.approve(
        suggestion,
        user=coordinator,
        answer="Oui : une interprète est présente à chaque atelier, sur inscription auprès du porteur.",
    )
    return version


def _confirm_themes_and_show_breakdowns(contract, coordinator) -> None:
    """The coordinator confirms the themes suggested from the fiches' text (demo only), and makes
    public the indicators whose values have a breakdown (categories, communes, QPV, satisfaction)."""
    from opencls.region.models import ActionTheme
    from opencls.region.themes import theme_decide

    suggested = ActionTheme.objects.filter(contract=contract, state=ActionTheme.State.SUGGESTED)
    for link in suggested.select_related("action", "theme"):
        theme_decide(link, ActionTheme.State.CONFIRMED, user=coordinator)
    with_breakdown = IndicatorValue.objects.filter(contract=contract).exclude(breakdown={})
    broken_down = Indicator.objects.filter(
        action__contract=contract, is_public=False, pk__in=with_breakdown.values("indicator_id")
    ).order_by("pk")
    for indicator in broken_down[:3]:
        indicator.is_public = True
        indicator.save(update_fields=["is_public"])
