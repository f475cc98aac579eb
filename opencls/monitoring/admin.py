from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opencls.monitoring.models import (
    DeliverableFollowUp,
    Evaluation,
    EvaluationReport,
    Evidence,
    IndicatorTarget,
    IndicatorValue,
    StatusEntry,
)


@admin.register(StatusEntry)
class StatusEntryAdmin(admin.ModelAdmin):
    list_display = ["action", "operation", "status", "date", "author"]
    list_filter = ["status", "contract"]
    list_select_related = ["action", "operation", "author"]
    raw_id_fields = ["contract", "action", "operation", "author"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period", "value", "entered_by", "entered_at"]
    list_filter = ["year", "contract"]
    list_select_related = ["indicator", "entered_by"]
    raw_id_fields = ["contract", "indicator", "entered_by"]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period", "value", "cumulative", "source_deliverable"]
    list_filter = ["year", "cumulative", "contract"]
    list_select_related = ["indicator", "source_deliverable"]
    raw_id_fields = ["contract", "indicator", "source_deliverable", "set_by"]


@admin.register(DeliverableFollowUp)
class DeliverableFollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["deliverable", "is_done", "done_on", "due_date"]
    list_filter = ["is_done", "contract"]
    list_select_related = ["deliverable"]
    raw_id_fields = ["contract", "deliverable", "updated_by"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    # No link to the file: evidence is only served by the view that checks the reader's rights.
    list_display = ["original_name", "deliverable", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["contract"]
    list_select_related = ["deliverable", "uploaded_by"]
    exclude = ["file"]
    readonly_fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["contract", "deliverable"]


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "year", "updated_by", "updated_at"]
    list_filter = ["year"]
    list_select_related = ["contract", "updated_by"]
    raw_id_fields = ["contract", "updated_by"]


@admin.register(EvaluationReport)
class EvaluationReportAdmin(admin.ModelAdmin):
    list_display = ["contract", "year", "format", "size", "duration_ms", "generated_by", "generated_at"]
    list_filter = ["format", "year"]
    list_select_related = ["contract", "generated_by"]
    exclude = ["file"]
    readonly_fields = ["size", "duration_ms", "generated_by", "generated_at"]
    raw_id_fields = ["contract", "evaluation"]
