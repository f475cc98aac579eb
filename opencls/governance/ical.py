"""A meeting as an iCalendar invitation (RFC 5545), to attach to the convocation e-mail."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from opencls.governance.models import Meeting

DEFAULT_DURATION = timedelta(hours=2)


def published_calendar(prodid: str) -> Calendar:
    """An empty iCalendar to publish events in (also the calendar of actions, documents app)."""
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    return calendar


def meeting_calendar(meeting: Meeting, *, agenda: list, url: str, host: str) -> bytes:
    calendar = published_calendar("-//OpenCLS//Gouvernance//FR")
    zone = timezone.get_current_timezone()
    event = Event()
    event.add("uid", f"reunion-{meeting.pk}@{host}")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(meeting.starts_at, zone))
    event.add("dtend", timezone.localtime(meeting.ends_at or meeting.starts_at + DEFAULT_DURATION, zone))
    event.add("summary", f"{meeting.display_title} — {meeting.contract}")
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    location = meeting.place or meeting.video_url
    if location:
        event.add("location", location)
    lines = []
    if meeting.video_url:
        lines.append(_("Visioconférence : %(url)s") % {"url": meeting.video_url})
    if agenda:
        lines.append(_("Ordre du jour :"))
        lines.extend(f"{position}. {item.display_title}" for position, item in enumerate(agenda, start=1))
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
