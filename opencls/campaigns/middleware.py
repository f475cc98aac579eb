from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from opencls.campaigns.locks import PeriodLocked


class PeriodLockedMiddleware:
    """A write refused because its year is locked, from any view: a clear French answer (409),
    never a server error. Pages go back where the user was, with the message; the API gets JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PeriodLocked):
            return None
        message = " ".join(exception.messages)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=409)
        back = request.headers.get("referer", "")
        if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            messages.error(request, message)
            return redirect(back)
        return render(request, "campaigns/locked.html", {"message": message}, status=409)
