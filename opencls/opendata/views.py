"""Open data: anonymous reads of published contracts (API v1), bulk files per région, and the
page where a user manages the token BI tools read their own contracts with."""

import re

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from opencls.contracts.models import Contract
from opencls.opendata import exports, selectors
from opencls.opendata.serializers import OpenContractDetailSerializer, OpenContractSerializer

CODE = re.compile(r"^(?:\d{2,3}|2[AB])$")


class OpenPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "taille"
    max_page_size = 200


FILTERS = [
    OpenApiParameter("region", OpenApiTypes.STR, description="Code INSEE de la région (ex. 32)."),
    OpenApiParameter("departement", OpenApiTypes.STR, description="Code INSEE du département (ex. 59)."),
    OpenApiParameter("statut", OpenApiTypes.STR, enum=list(Contract.Status.values)),
    OpenApiParameter("type", OpenApiTypes.STR, enum=list(Contract.Kind.values)),
]


def _filters(params) -> dict:
    region, department = params.get("region", ""), params.get("departement", "")
    status, kind = params.get("statut", ""), params.get("type", "")
    errors = {}
    if region and not CODE.match(region):
        errors["region"] = _("Code de région INSEE attendu (ex. 32).")
    if department and not CODE.match(department):
        errors["departement"] = _("Code de département INSEE attendu (ex. 59, 2A).")
    if status and status not in Contract.Status.values:
        errors["statut"] = _("Statut inconnu : %(values)s.") % {"values": ", ".join(Contract.Status.values)}
    if kind and kind not in Contract.Kind.values:
        errors["type"] = _("Type inconnu : %(values)s.") % {"values": ", ".join(Contract.Kind.values)}
    if errors:
        raise ValidationError(errors)
    return {"region": region, "department": department, "status": status, "kind": kind}


@extend_schema(tags=["Données ouvertes"], parameters=FILTERS)
class OpenContractList(generics.ListAPIView):
    """Published contracts (never drafts), paginated, filtered by région, département, status, type."""

    permission_classes = [AllowAny]
    serializer_class = OpenContractSerializer
    pagination_class = OpenPagination

    def get_queryset(self):
        return selectors.published_contracts(**_filters(self.request.query_params))


@extend_schema(tags=["Données ouvertes"])
class OpenContractDetail(generics.RetrieveAPIView):
    """A published contract as its latest published version shows it: public fiches, their
    porteurs, partners, calendar and status, and the indicator values made public."""

    permission_classes = [AllowAny]
    serializer_class = OpenContractDetailSerializer

    def get_object(self):
        contract = get_object_or_404(selectors.published_contracts(), pk=self.kwargs["pk"])
        self.snapshot = selectors.snapshots([contract])[contract.pk]
        return contract

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "snapshot": getattr(self, "snapshot", {"contract": {}})}


def _region_download(request, code: str, build, content_type: str, filename: str):
    if not CODE.match(code):
        raise Http404

    def contract_url(contract):
        return request.build_absolute_uri(reverse("opendata:contract-detail", args=[contract.pk]))

    contracts = selectors.published_contracts(region=code)
    response = StreamingHttpResponse(build(contracts, contract_url), content_type=content_type)
    name, extension = filename.rsplit(".", 1)
    response["Content-Disposition"] = f'attachment; filename="{name}-region-{code}.{extension}"'
    return response


CSV = "text/csv; charset=utf-8"


def region_csv(request, code):
    build = lambda contracts, _url: exports.region_csv(contracts)  # noqa: E731
    return _region_download(request, code, build, CSV, "contrats-publies.csv")


def region_json(request, code):
    return _region_download(request, code, exports.region_json, "application/json", "contrats-publies.json")


def region_oscars(request, code):
    return _region_download(request, code, exports.oscars_csv, CSV, "oscars.csv")


@require_http_methods(["GET", "POST"])
def token(request):
    """The user's API token: created (shown once), replaced or revoked."""
    current = Token.objects.filter(user=request.user).first()
    shown = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke" and current:
            current.delete()
            messages.success(
                request, _("Le jeton est révoqué : les outils qui l'utilisaient n'ont plus accès.")
            )
            return redirect("opendata:token")
        if action in ("create", "replace"):
            if current:
                current.delete()
            current = Token.objects.create(user=request.user)
            shown = current.key
        else:
            messages.error(request, _("Action inconnue."))
            return redirect("opendata:token")
    return render(
        request,
        "opendata/token.html",
        {
            "current": current,
            "shown": shown,
            "api_url": request.build_absolute_uri(reverse("api:contract-list")),
            "title": _("Jeton d'accès à l'API"),
        },  # fmt: skip
    )
