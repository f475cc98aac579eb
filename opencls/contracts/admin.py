from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opencls.contracts.models import Axis, Contract, ContractRole, DiagnosisIndicator, Objective, Signatory


class ContractRoleInline(admin.TabularInline):
    model = ContractRole
    extra = 0
    autocomplete_fields = ["user"]


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0
    autocomplete_fields = ["organisation"]


class AxisInline(admin.TabularInline):
    model = Axis
    extra = 0
    fields = ["code", "title", "position"]
    show_change_link = True


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["title", "short_name", "kind", "territory", "status", "is_published", "end_date"]
    list_select_related = ["territory"]
    list_filter = ["kind", "status", "is_published", "territory__region"]
    search_fields = ["title", "short_name", "territory__name"]
    autocomplete_fields = ["territory"]
    inlines = [ContractRoleInline, SignatoryInline, AxisInline]


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    fields = ["code", "title", "parent", "position"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Parents are objectives of the same axis only.
        if db_field.name == "parent":
            axis_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Objective.objects.filter(axis_id=axis_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Axis)
class AxisAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "contract", "position"]
    list_select_related = ["contract"]
    search_fields = ["code", "title", "contract__title"]
    autocomplete_fields = ["contract"]
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "axis", "parent"]
    list_select_related = ["axis", "parent"]
    search_fields = ["code", "title", "axis__contract__title"]
    autocomplete_fields = ["axis", "parent"]


@admin.register(ContractRole)
class ContractRoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "contract"]
    list_select_related = ["user", "contract"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "contract__title"]
    autocomplete_fields = ["user", "contract"]


@admin.register(Signatory)
class SignatoryAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "representative", "representative_title", "contract"]
    list_select_related = ["organisation", "contract"]
    search_fields = ["organisation__name", "representative", "contract__title"]
    autocomplete_fields = ["organisation", "contract"]


@admin.register(DiagnosisIndicator)
class DiagnosisIndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["label", "theme", "territory_value", "region_value", "nation_value", "contract"]
    list_select_related = ["contract"]
    search_fields = ["label", "theme", "contract__title"]
    autocomplete_fields = ["contract"]
