from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencls.notifications import selectors, services
from opencls.notifications.forms import PreferenceForm


def _breadcrumb(current: str, *links) -> dict:
    return {"links": list(links), "current": current}


def notification_list(request):
    page = Paginator(selectors.notifications_of(request.user), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/list.html",
        {
            "page_obj": page,
            "notifications": page.object_list,
            "unread": selectors.unread_count(request.user),
            "title": _("Mes notifications"),
            "breadcrumb_data": _breadcrumb(_("Mes notifications")),
        },
    )


def unread_badge(request):
    """The header's counter, fetched by htmx after the page: no query added to every page."""
    return render(
        request, "notifications/includes/badge.html", {"unread": selectors.unread_count(request.user)}
    )


def _back_to_list(request):
    page = request.POST.get("page", "")
    url = reverse("notifications:list")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@require_POST
def notification_open(request, notification_pk):
    """Marks the notification read and goes to what it is about."""
    notification = selectors.own_notification_or_404(request.user, notification_pk)
    services.mark_read(notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return _back_to_list(request)


@require_POST
def notification_read(request, notification_pk):
    notification = selectors.own_notification_or_404(request.user, notification_pk)
    services.mark_read(notification)
    return _back_to_list(request)


@require_POST
def notification_read_all(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("%(n)s notification(s) marquée(s) comme lue(s).") % {"n": count})
    return _back_to_list(request)


def preferences(request):
    current = selectors.email_frequency(request.user)
    form = PreferenceForm(request.POST or None, initial={"email_frequency": current})
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            messages.info(request, _("Aucun changement : vos préférences sont inchangées."))
        else:
            services.set_preference(request.user, form.cleaned_data["email_frequency"])
            messages.success(request, _("Vos préférences ont été enregistrées."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "title": _("Mes préférences"),
            "breadcrumb_data": _breadcrumb(
                _("Mes préférences"), {"url": reverse("notifications:list"), "title": _("Mes notifications")}
            ),
        },
        status=400 if form.errors else 200,
    )
