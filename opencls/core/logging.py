"""Request ids and user ids on every log line.

`RequestIdMiddleware` (first in MIDDLEWARE) takes the proxy's `X-Request-ID` when it is a sane
token, or makes one, keeps the request in a context variable for the duration of the request and
echoes the id in the response. `RequestContextFilter` (on the console handler) adds `request_id`
and `user_id` to each record, and replaces the `request` object Django attaches to its error
records by its method and path, so no request body (passwords, uploaded files) reaches the logs.
"""

import contextvars
import logging
import re
import uuid

from django.utils.functional import empty

HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_current_request = contextvars.ContextVar("opencls_request", default=None)


def current_request_id() -> str | None:
    request = _current_request.get()
    return getattr(request, "request_id", None)


def _user_id(request) -> int | None:
    # Read the user only if authentication already loaded it: a log line never queries.
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty or wrapped is None:
        return None
    return getattr(wrapped, "pk", None)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request.request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = _current_request.get()
        record.request_id = getattr(request, "request_id", None) if request is not None else None
        record.user_id = _user_id(request) if request is not None else None
        attached = getattr(record, "request", None)
        if attached is not None and not isinstance(attached, str):
            record.request = f"{getattr(attached, 'method', '')} {getattr(attached, 'path', '')}".strip()
        return True
