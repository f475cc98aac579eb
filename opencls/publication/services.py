"""Writes of the public side: publishing a version, what is public, and the inhabitants' messages."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from opencls.actions.models import Action, Indicator
from opencls.contracts.models import Contract
from opencls.publication.models import PublishedVersion, Suggestion
from opencls.publication.snapshot import build_snapshot

WITHDRAWN_MESSAGE = "[Message supprimé à la demande de son auteur]"


@transaction.atomic
def publish_version(contract: Contract, *, user=None, evaluation_report=None) -> PublishedVersion:
    """Freeze the public part of the contract as its next version and put the page online."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)  # one number at a time
    if evaluation_report is not None and evaluation_report.contract_id != contract.pk:
        raise ValueError("evaluation report of another contract")
    last = PublishedVersion.objects.filter(contract=contract).aggregate(Max("number"))["number__max"] or 0
    version = PublishedVersion.objects.create(
        contract=contract,
        number=last + 1,
        published_by=user if user is not None and user.is_authenticated else None,
        snapshot=build_snapshot(contract, evaluation_report=evaluation_report),
        evaluation_report=evaluation_report,
    )
    if not contract.is_published:
        contract.is_published = True
        contract.save(update_fields=["is_published"])
    return version


def unpublish(contract: Contract) -> None:
    """Take the public page offline; the versions stay, for the record and a later publication."""
    contract.is_published = False
    contract.save(update_fields=["is_published"])


@transaction.atomic
def set_public_marks(contract: Contract, *, action_ids: set[int], indicator_ids: set[int]) -> int:
    """Mark public exactly the fiches and indicators given (others private); returns how many changed.

    Ids not of this contract are ignored. Each change is saved on its own row (with its history)."""
    changed = 0
    for action in Action.objects.filter(contract=contract).only("pk", "is_public"):
        wanted = action.pk in action_ids
        if action.is_public != wanted:
            action.is_public = wanted
            action.save(update_fields=["is_public"])
            changed += 1
    for indicator in Indicator.objects.filter(action__contract=contract).only("pk", "is_public"):
        wanted = indicator.pk in indicator_ids
        if indicator.is_public != wanted:
            indicator.is_public = wanted
            indicator.save(update_fields=["is_public"])
            changed += 1
    return changed


# Suggestions ---------------------------------------------------------------------------------


def submit_suggestion(
    contract: Contract,
    *,
    action: Action | None,
    action_label: str,
    kind: str,
    message: str,
    author_name: str,
    email: str,
) -> Suggestion:
    return Suggestion.objects.create(
        contract=contract,
        action=action,
        action_label=action_label,
        kind=kind,
        message=message,
        author_name=author_name,
        email=email,
        consent_at=timezone.now() if email else None,
    )


def _moderated(suggestion: Suggestion, user, **fields) -> Suggestion:
    for name, value in fields.items():
        setattr(suggestion, name, value)
    suggestion.moderated_by = user
    suggestion.moderated_at = timezone.now()
    suggestion.save()
    return suggestion


@transaction.atomic
def approve(suggestion: Suggestion, *, user, answer: str = "", public_url: str = "") -> Suggestion:
    """Show the message (and its answer, if any) on the public page."""
    had_answer = bool(suggestion.answer)
    fields = {"state": Suggestion.State.APPROVED}
    if answer and answer != suggestion.answer:
        fields.update(answer=answer, answered_at=timezone.now())
    _moderated(suggestion, user, **fields)
    if suggestion.answer and not had_answer:
        transaction.on_commit(lambda: notify_answer(suggestion, public_url))
    return suggestion


def reject(suggestion: Suggestion, *, user) -> Suggestion:
    return _moderated(suggestion, user, state=Suggestion.State.REJECTED)


@transaction.atomic
def set_answer(suggestion: Suggestion, *, user, answer: str, public_url: str = "") -> Suggestion:
    had_answer = bool(suggestion.answer)
    _moderated(suggestion, user, answer=answer, answered_at=timezone.now() if answer else None)
    if answer and not had_answer and suggestion.state == Suggestion.State.APPROVED:
        transaction.on_commit(lambda: notify_answer(suggestion, public_url))
    return suggestion


def erase_personal_data(suggestion: Suggestion, *, user, with_message: bool) -> Suggestion:
    """The author's name and e-mail are erased (and the message, if asked: it leaves the public
    page). The audit trail never held them (see the model's history)."""
    fields = {"author_name": "", "email": "", "consent_at": None, "personal_data_erased_at": timezone.now()}
    if with_message:
        fields.update(message=WITHDRAWN_MESSAGE, state=Suggestion.State.WITHDRAWN)
    return _moderated(suggestion, user, **fields)


def notify_answer(suggestion: Suggestion, public_url: str) -> None:
    """Tell the author an answer is online: only with an e-mail given with consent, for that only."""
    suggestion.refresh_from_db(fields=["email", "consent_at", "answer", "state"])
    if not (suggestion.email and suggestion.consent_at and suggestion.state == Suggestion.State.APPROVED):
        return
    body = _(
        "Bonjour,\n\nLa coordination du contrat « %(contract)s » a répondu à votre message :\n\n%(answer)s\n\n"
        "La réponse est en ligne : %(url)s\n\nVous recevez ce courriel parce que vous avez laissé votre adresse "
        "pour être prévenu·e de la réponse. Elle ne sert à rien d'autre ; pour la faire effacer, écrivez à la "
        "coordination du contrat.\n"
    ) % {"contract": suggestion.contract.title, "answer": suggestion.answer, "url": public_url}
    send_mail(
        _("Réponse à votre message sur le contrat « %(contract)s »")
        % {"contract": suggestion.contract.title},
        body,
        settings.DEFAULT_FROM_EMAIL,
        [suggestion.email],
    )


def purge_old_personal_data(*, older_than_days: int) -> int:
    """Erase names and e-mails of messages moderated more than `older_than_days` ago."""
    limit = timezone.now() - timedelta(days=older_than_days)
    stale = Suggestion.objects.filter(moderated_at__lt=limit, personal_data_erased_at__isnull=True).exclude(
        author_name="", email=""
    )
    count = 0
    for suggestion in stale:
        suggestion.author_name = suggestion.email = ""
        suggestion.consent_at = None
        suggestion.personal_data_erased_at = timezone.now()
        suggestion.save()
        count += 1
    return count
