"""`notify()`: the one place where an event becomes an in-app notification and an e-mail.

    notify(user, Kind.REPORT_RETURNED, {"contract": …, "campaign": …, "reports": […], "path": "/…"})

The recipient gets a Notification row (title = the e-mail's subject, link = `path`) and, unless
they chose the weekly digest, the e-mail at once (`<template>.txt` + `.html`, same context, the
link made absolute). Invitations are mailed at once whatever the preference; an invitation to
an address without an account has no in-app item (`user=None`, `email=` the address).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opencls.notifications.kinds import KINDS
from opencls.notifications.models import Notification, Preference, SentDigest
from opencls.people.emails import absolute_url, send_templated_mail


@dataclass(frozen=True)
class Notified:
    notification: Notification | None
    mailed: bool


def wants_digest(user) -> bool:
    return Preference.objects.filter(user=user, email_frequency=Preference.Frequency.WEEKLY).exists()


def notify(user, kind: str, context: dict, *, email: str = "", request=None, mail: bool = True) -> Notified:
    """Record the in-app notification of `user` and mail it (now, or later in the digest).
    `mail=False` records a past event without mailing it (the demo's history)."""
    spec = KINDS[kind]
    title = spec.subject(context)[:300]
    path = context.get("path", "")
    address = email or (user.email if user is not None else "")
    mail_now = mail and bool(address) and (spec.always_mail or user is None or not wants_digest(user))
    notification = None
    if user is not None:
        notification = Notification.objects.create(
            user=user,
            contract=context.get("contract"),
            kind=kind,
            title=title,
            body=spec.summary(context),
            url=path,
            emailed_at=timezone.now() if mail_now else None,
        )
    if mail_now:
        url = context.get("mail_url") or absolute_url(path, request)
        send_templated_mail(
            to=[address],
            subject=title,
            template=spec.template,
            context={
                **context,
                "user": user,
                "url": url,
                "notification": notification,
                # Who has an account may choose the weekly digest instead of each mail.
                "preferences_url": absolute_url(reverse("notifications:preferences"), request)
                if user is not None and not spec.always_mail
                else "",
            },
        )
    return Notified(notification, mail_now)


# --- Reading and marking ----------------------------------------------------------------------


def mark_read(notification: Notification) -> bool:
    """True when it was unread (one UPDATE, nothing when already read)."""
    return bool(Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=timezone.now()))


def mark_all_read(user) -> int:
    return Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())


@transaction.atomic
def set_preference(user, email_frequency: str) -> Preference:
    preference, created = Preference.objects.get_or_create(
        user=user, defaults={"email_frequency": email_frequency}
    )
    if not created:
        preference.email_frequency = email_frequency
        preference.save()  # an unchanged preference writes nothing (opencls/core/unchanged.py)
    return preference


# --- Weekly digest ----------------------------------------------------------------------------


def digest_week(today: date) -> date:
    """The Monday of the last complete week before `today` (the week a digest sent today covers)."""
    return today - timedelta(days=today.weekday() + 7)


def _week_bounds(week_start: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(week_start, time.min), zone)
    return start, start + timedelta(days=7)


def send_digests(today: date | None = None, request=None) -> list[tuple[object, int]]:
    """Mail each user who chose the digest the unread notifications of last week that were not
    mailed one by one. Idempotent: a (user, week) digest is recorded in the same transaction as
    its mail and never sent twice. Returns (user, number of notifications) for each mail sent."""
    today = today or timezone.localdate()
    week_start = digest_week(today)
    start, end = _week_bounds(week_start)
    done = SentDigest.objects.filter(week_start=week_start).values_list("user_id", flat=True)
    preferences = (
        Preference.objects.filter(email_frequency=Preference.Frequency.WEEKLY)
        .exclude(user__email="")
        .exclude(user_id__in=done)
        .select_related("user")
    )
    sent = []
    for preference in preferences:
        user = preference.user
        notifications = list(
            Notification.objects.filter(
                user=user, created_at__gte=start, created_at__lt=end, read_at=None, emailed_at=None
            )
            .select_related("contract")
            .order_by("created_at", "pk")
        )
        if not notifications:
            continue
        for notification in notifications:
            notification.link = absolute_url(notification.url, request) if notification.url else ""
        try:
            with transaction.atomic():
                # Recorded first: a failed mail leaves no record, a concurrent run hits the
                # unique constraint instead of mailing twice.
                SentDigest.objects.create(
                    user=user, week_start=week_start, notification_count=len(notifications)
                )
                send_templated_mail(
                    to=[user.email],
                    subject=_("OpenCLS : votre résumé de la semaine du %(date)s (%(count)s notification(s))")
                    % {"date": week_start.strftime("%d/%m/%Y"), "count": len(notifications)},
                    template="notifications/emails/digest",
                    context={
                        "user": user,
                        "week_start": week_start,
                        "week_end": week_start + timedelta(days=6),
                        "notifications": notifications,
                        "url": absolute_url(reverse("notifications:list"), request),
                        "preferences_url": absolute_url(reverse("notifications:preferences"), request),
                    },
                )
        except IntegrityError:
            continue
        sent.append((user, len(notifications)))
    return sent
