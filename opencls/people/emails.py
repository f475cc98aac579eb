"""E-mails of the yearly round: one French template pair (plain text + HTML) per message."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute_url(path: str, request=None) -> str:
    """A link for an e-mail: from the request when there is one, else from BASE_URL (commands)."""
    if request is not None:
        return request.build_absolute_uri(path)
    return getattr(settings, "BASE_URL", "http://localhost:8000").rstrip("/") + path


def send_templated_mail(*, to: list[str], subject: str, template: str, context: dict) -> int:
    """Send `<template>.txt` and `<template>.html` as one message with two parts."""
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    return message.send()
