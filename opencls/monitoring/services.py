"""Writes of the follow-up: each checks the permission on the object, validates, then saves.

Errors are `ValidationError`s with French messages, raised before anything is written.
"""

import time
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencls.accounts.permissions import require
from opencls.actions.measures import PERCENT_KINDS, has_breakdown
from opencls.actions.models import Action, Deliverable, Indicator, Operation
from opencls.contracts.models import Contract
from opencls.monitoring import measures
from opencls.monitoring.models import (
    DeliverableFollowUp,
    Evaluation,
    EvaluationReport,
    Evidence,
    IndicatorTarget,
    IndicatorValue,
    Status,
    StatusEntry,
)
from opencls.monitoring.periods import Period
from opencls.monitoring.selectors import target_periods

# Extension → (MIME type, accepted leading bytes). Office documents are zip or OLE containers.
ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".webp": ("image/webp", (b"RIFF",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    ".odp": ("application/vnd.oasis.opendocument.presentation", ZIP),
    ".doc": ("application/msword", OLE),
    ".xls": ("application/vnd.ms-excel", OLE),
}
MAX_VALUE = Decimal("999999999999.99")


def max_evidence_bytes() -> int:
    return getattr(settings, "OPENCLS_MAX_EVIDENCE_BYTES", settings.OPENCLS_MAX_UPLOAD_BYTES)


def _check_not_future(day: date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({label: _("La date ne peut pas être dans le futur.")})


# Statuses -----------------------------------------------------------------------------------


def status_record(
    *, user, action: Action, operation: Operation | None = None, status: str, day: date, comment: str = ""
) -> StatusEntry | None:
    """Adds a dated step to the history of the action (or of one of its operations); the current
    status repeated without a comment adds nothing (None when nothing was ever recorded)."""
    require(user, "action.change", operation or action)
    if operation is not None and operation.action_id != action.pk:
        raise ValidationError(_("Cette opération n'appartient pas à cette fiche action."))
    if status not in Status.values:
        raise ValidationError({"status": _("Statut inconnu.")})
    _check_not_future(day, "day")
    latest = StatusEntry.objects.filter(action=action, operation=operation).order_by("-date", "-pk").first()
    current = latest.status if latest else Status.NOT_STARTED
    if status == current and not comment.strip():
        # The current status repeated with nothing to add (an untouched form): nothing to write.
        return latest
    return StatusEntry.objects.create(
        contract_id=action.contract_id,
        action=action,
        operation=operation,
        status=status,
        date=day,
        comment=comment.strip(),
        author=user,
    )


# Indicator values and targets ------------------------------------------------------------------


def period_for_indicator(indicator: Indicator, code: str) -> Period:
    """The period `code` if it suits the indicator's periodicity, else a French error."""
    try:
        period = Period.from_code(code)
    except ValueError as error:
        raise ValidationError({"period": str(error)}) from error
    if period.kind != indicator.periodicity:
        raise ValidationError(
            {
                "period": _(
                    "Cet indicateur se mesure par période « %(periodicity)s » : « %(code)s » ne convient pas."
                )
                % {"periodicity": indicator.get_periodicity_display().lower(), "code": code}
            }
        )
    return period


def _check_value(value: Decimal, field: str = "value") -> None:
    if value is None or not value.is_finite() or abs(value) > MAX_VALUE:
        raise ValidationError({field: _("Saisissez un nombre (au plus 12 chiffres avant la virgule).")})


def indicator_value_set(
    *,
    user,
    indicator: Indicator,
    period_code: str,
    value=None,
    comment: str = "",
    breakdown: dict | None = None,
    keys: list[str] | None = None,
    stored_breakdown: dict | None = None,
    clear_breakdown: bool = False,
):
    """Enters (or corrects) the value of one period; returns the IndicatorValue.

    `value` and `breakdown` are checked against the indicator's measure kind (`clean_measure`):
    a percentage between 0 and 100, a breakdown by known keys whose total is the value. `keys`
    and `stored_breakdown` spare the queries when the caller already read them. A stored
    breakdown is never dropped by a total alone, unless `clear_breakdown` (the user confirmed
    the replacement, before → after)."""
    require(user, "indicator_value.change", indicator)
    period = period_for_indicator(indicator, period_code)
    if stored_breakdown is None and has_breakdown(indicator.measure_kind):
        stored_breakdown = (
            IndicatorValue.objects.filter(indicator=indicator, period=period.code)
            .values_list("breakdown", flat=True)
            .first()
        )
    value, breakdown = measures.clean_measure(indicator, value, breakdown, keys=keys, stored=stored_breakdown)
    if stored_breakdown and not breakdown and not clear_breakdown:
        raise ValidationError(
            {
                "breakdown": _(
                    "Cette valeur est ventilée (%(parts)s) : saisissez la nouvelle ventilation ; un total seul "
                    "l'effacerait."
                )
                % {"parts": measures.breakdown_text(stored_breakdown)}
            }
        )
    if period.start > timezone.localdate():
        raise ValidationError(
            {"period": _("Cette période n'a pas commencé : la valeur ne peut pas être saisie.")}
        )
    indicator_value, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        period=period.code,
        defaults={
            "contract_id": indicator.action.contract_id,
            "year": period.year,
            "value": value,
            "breakdown": breakdown,
            "comment": comment.strip(),
            "entered_by": user,
        },
    )
    return indicator_value


def indicator_value_delete(*, user, indicator_value: IndicatorValue) -> None:
    require(user, "indicator_value.change", indicator_value.indicator)
    indicator_value.delete()


def indicator_target_set(
    *, user, indicator: Indicator, period_code: str, value: Decimal, cumulative: bool = False, source=None
) -> IndicatorTarget:
    # Targets are contractual: the coordinator's, never a porteur's.
    require(user, "target.change", indicator)
    period = period_for_indicator(indicator, period_code)
    _check_value(value)
    if value < 0:
        raise ValidationError({"value": _("Une cible ne peut pas être négative.")})
    if indicator.measure_kind in PERCENT_KINDS and value > 100:
        raise ValidationError({"value": _("Un pourcentage est compris entre 0 et 100.")})
    if indicator.measure_kind in PERCENT_KINDS and cumulative:
        raise ValidationError(
            {
                "cumulative": _(
                    "Des pourcentages ne s'additionnent pas : la cible d'un taux n'est pas cumulée."
                )
            }
        )
    target, _created = IndicatorTarget.objects.update_or_create(
        indicator=indicator,
        period=period.code,
        defaults={
            "contract_id": indicator.action.contract_id,
            "year": period.year,
            "value": value,
            "cumulative": cumulative,
            "source_deliverable": source,
            "set_by": user,
        },
    )
    return target


@transaction.atomic
def indicator_targets_apply(
    *,
    user,
    indicator: Indicator,
    value: Decimal,
    years: list[int],
    cumulative: bool,
    source: Deliverable | None = None,
) -> list[IndicatorTarget]:
    """Sets the same target on every period of `years` — or, for a cumulative target, once on the
    last period of the last year (« au moins 5 ambassadeurs » over the contract)."""
    if not years:
        raise ValidationError({"years": _("Choisissez au moins une année.")})
    if source is not None and source.action_id != indicator.action_id:
        raise ValidationError(_("Le livrable et l'indicateur doivent appartenir à la même fiche action."))
    periods = target_periods(indicator, years, cumulative)
    return [
        indicator_target_set(
            user=user,
            indicator=indicator,
            period_code=p.code,
            value=value,
            cumulative=cumulative,
            source=source,
        )
        for p in periods
    ]


def indicator_target_delete(*, user, target: IndicatorTarget) -> None:
    require(user, "target.change", target.indicator)
    target.delete()


# Deliverables and evidence --------------------------------------------------------------------


def deliverable_follow_up_set(
    *,
    user,
    deliverable: Deliverable,
    is_done: bool,
    done_on: date | None = None,
    due_date: date | None = None,
    comment: str = "",
) -> DeliverableFollowUp:
    require(user, "deliverable.change", deliverable)
    if is_done:
        done_on = done_on or timezone.localdate()
        _check_not_future(done_on, "done_on")
    elif done_on:
        raise ValidationError(
            {"done_on": _("Une date de réalisation n'a de sens que si le livrable est réalisé.")}
        )
    follow_up, _created = DeliverableFollowUp.objects.update_or_create(
        deliverable=deliverable,
        defaults={
            "contract_id": deliverable.action.contract_id,
            "is_done": is_done,
            "done_on": done_on if is_done else None,
            "due_date": due_date,
            "comment": comment.strip(),
            "updated_by": user,
        },
    )
    return follow_up


def evidence_check(uploaded_file) -> tuple[str, str]:
    """(extension, MIME type) of an acceptable upload; the content must match the extension."""
    limit = max_evidence_bytes()
    if uploaded_file.size == 0:
        raise ValidationError({"file": _("Le fichier est vide.")})
    if uploaded_file.size > limit:
        raise ValidationError(
            {
                "file": _("Le fichier dépasse la taille maximale de %(size)s Mo.")
                % {"size": round(limit / 1024 / 1024, 1)}
            }
        )
    extension = PurePath(uploaded_file.name).suffix.lower()
    if extension not in EVIDENCE_TYPES:
        raise ValidationError(
            {
                "file": _("Format non accepté. Formats acceptés : %(formats)s.")
                % {"formats": ", ".join(sorted(ext.lstrip(".").upper() for ext in EVIDENCE_TYPES))}
            }
        )
    content_type, signatures = EVIDENCE_TYPES[extension]
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    if not head.startswith(signatures) or (extension == ".webp" and head[8:12] != b"WEBP"):
        raise ValidationError(
            {
                "file": _("Le contenu du fichier ne correspond pas à son extension « %(ext)s ».")
                % {"ext": extension}
            }
        )
    return extension, content_type


def evidence_add(*, user, deliverable: Deliverable, uploaded_file, description: str = "") -> Evidence:
    require(user, "deliverable.change", deliverable)
    _extension, content_type = evidence_check(uploaded_file)
    evidence = Evidence(
        contract_id=deliverable.action.contract_id,
        deliverable=deliverable,
        original_name=PurePath(uploaded_file.name).name[:255],
        content_type=content_type,
        size=uploaded_file.size,
        description=description.strip(),
        uploaded_by=user,
    )
    evidence.file.save(uploaded_file.name, uploaded_file, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)  # no orphan file when the row is not written
        raise
    return evidence


def evidence_replace(*, user, evidence: Evidence, uploaded_file, description: str = "") -> Evidence:
    """A new file for the same evidence; the former one stays stored (named by the history) until
    `purge_deleted_files`."""
    require(user, "deliverable.change", evidence.deliverable)
    _extension, content_type = evidence_check(uploaded_file)
    evidence.original_name = PurePath(uploaded_file.name).name[:255]
    evidence.content_type = content_type
    evidence.size = uploaded_file.size
    evidence.description = description.strip() or evidence.description
    evidence.uploaded_by = user
    evidence.file.save(uploaded_file.name, uploaded_file, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


def evidence_delete(*, user, evidence: Evidence) -> None:
    """Removes the evidence from the deliverable; its stored file stays (named by the history)
    until `manage.py purge_deleted_files` removes it: a contractual record is never erased
    silently."""
    require(user, "deliverable.change", evidence.deliverable)
    evidence.delete()


# Evaluation -----------------------------------------------------------------------------------


def evaluation_get_or_create(*, contract: Contract, year: int) -> Evaluation:
    evaluation, _created = Evaluation.objects.get_or_create(contract=contract, year=year)
    return evaluation


def evaluation_synthesis_set(*, user, contract: Contract, year: int, synthesis: str) -> Evaluation | None:
    require(user, "evaluation.change", contract)
    if not synthesis.strip() and not Evaluation.objects.filter(contract=contract, year=year).exists():
        return None  # an untouched, empty synthesis: no evaluation row to create
    evaluation = evaluation_get_or_create(contract=contract, year=year)
    evaluation.synthesis = synthesis.strip()
    evaluation.updated_by = user
    evaluation.save()
    return evaluation


def evaluation_report_generate(
    *, user, contract: Contract, year: int, fmt: str, today: date, on_progress=None
) -> EvaluationReport:
    """Renders the report of `year` as PDF or DOCX and keeps the file with the contract.

    `on_progress(percent, message)` hears each step (the background job shows it)."""
    from opencls.monitoring import reports

    require(user, "report.generate", contract)
    if fmt not in EvaluationReport.Format.values:
        raise ValidationError(_("Format de rapport inconnu."))
    step = on_progress or (lambda percent, message: None)
    started = time.perf_counter()
    data = reports.evaluation_report_data(contract, year, today=today)
    step(40, _("Mise en page du document %(format)s…") % {"format": fmt.upper()})
    content = reports.render_pdf(data) if fmt == EvaluationReport.Format.PDF else reports.render_docx(data)
    step(90, _("Enregistrement du fichier…"))
    duration_ms = int((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        evaluation = evaluation_get_or_create(contract=contract, year=year)
        report = EvaluationReport(
            contract=contract,
            evaluation=evaluation,
            year=year,
            format=fmt,
            size=len(content),
            duration_ms=duration_ms,
            generated_by=user,
        )
        report.file.save(f"evaluation-{year}.{fmt}", ContentFile(content), save=False)
        try:
            report.save()
        except Exception:
            report.file.delete(save=False)
            raise
    return report
