from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opencls.actions.models import (
    Action,
    ActionOrganisation,
    Deliverable,
    FundingLine,
    Indicator,
    Operation,
    OperationOrganisation,
)


class ActionOrganisationInline(admin.TabularInline):
    model = ActionOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]


class OperationInline(admin.TabularInline):
    model = Operation
    extra = 0
    fields = ["title", "schedule", "start_date", "end_date", "position"]
    show_change_link = True


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 0
    fields = ["text", "operation", "position"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["kind", "label", "unit", "periodicity", "operation", "position"]


class FundingLineInline(admin.TabularInline):
    model = FundingLine
    extra = 0
    fields = ["funder", "kind", "year", "planned_amount", "granted_amount", "spent_amount", "operation"]
    autocomplete_fields = ["funder"]


class OperationChoicesOfThisAction:
    """Inlines of an action offer only that action's operations."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "operation":
            action_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Operation.objects.filter(action_id=action_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ActionDeliverableInline(OperationChoicesOfThisAction, DeliverableInline):
    pass


class ActionIndicatorInline(OperationChoicesOfThisAction, IndicatorInline):
    pass


class ActionFundingLineInline(OperationChoicesOfThisAction, FundingLineInline):
    pass


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "axis", "contract", "is_public"]
    list_display_links = ["code", "title"]
    list_select_related = ["axis", "contract"]
    list_filter = ["is_public", "contract__kind"]
    search_fields = ["code", "title", "contract__title", "involvements__organisation__name"]
    autocomplete_fields = ["contract", "axis", "objective"]
    inlines = [
        ActionOrganisationInline,
        OperationInline,
        ActionDeliverableInline,
        ActionIndicatorInline,
        ActionFundingLineInline,
    ]


class OperationOrganisationInline(admin.TabularInline):
    model = OperationOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Operation)
class OperationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "action", "schedule"]
    list_select_related = ["action"]
    search_fields = ["title", "action__code", "action__title"]
    autocomplete_fields = ["action"]
    inlines = [OperationOrganisationInline]


@admin.register(Deliverable)
class DeliverableAdmin(SimpleHistoryAdmin):
    list_display = ["text", "action", "operation"]
    list_select_related = ["action", "operation"]
    search_fields = ["text", "action__code", "action__title"]
    autocomplete_fields = ["action", "operation"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["label", "kind", "unit", "periodicity", "action"]
    list_select_related = ["action"]
    list_filter = ["kind", "periodicity"]
    search_fields = ["label", "action__code", "action__title"]
    autocomplete_fields = ["action", "operation"]


@admin.register(FundingLine)
class FundingLineAdmin(SimpleHistoryAdmin):
    list_display = ["action", "funder", "kind", "year", "planned_amount", "granted_amount", "spent_amount"]
    list_select_related = ["action", "funder"]
    list_filter = ["kind", "year"]
    search_fields = ["action__code", "action__title", "funder__name"]
    autocomplete_fields = ["action", "operation", "funder"]
