from django.http import Http404

from opencls.notifications.models import Notification, Preference

PAGE_SIZE = 25


def notifications_of(user):
    """The user's own notifications, newest first (the contract's name comes with them)."""
    return Notification.objects.filter(user=user).select_related("contract")


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at=None).count()


def own_notification_or_404(user, pk) -> Notification:
    """Looked up through its recipient: another user's id is a 404, never a 403."""
    notification = Notification.objects.filter(pk=pk, user=user).first()
    if notification is None:
        raise Http404
    return notification


def email_frequency(user) -> str:
    preference = Preference.objects.filter(user=user).only("email_frequency").first()
    return preference.email_frequency if preference else Preference.Frequency.EACH
