from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opencls.territories.models import Municipality, PriorityNeighbourhood, Territory


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    extra = 0
    fields = ["name", "insee_code", "population", "population_year", "neighbourhood_inhabitants", "position"]


class PriorityNeighbourhoodInline(admin.TabularInline):
    model = PriorityNeighbourhood
    extra = 0


@admin.register(Territory)
class TerritoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "region", "department"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "department"]
    inlines = [MunicipalityInline, PriorityNeighbourhoodInline]


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "insee_code", "territory", "population", "neighbourhood_inhabitants"]
    list_select_related = ["territory"]
    search_fields = ["name", "insee_code"]
    autocomplete_fields = ["territory"]
    filter_horizontal = ["neighbourhoods"]


@admin.register(PriorityNeighbourhood)
class PriorityNeighbourhoodAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "territory"]
    list_select_related = ["territory"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["territory"]
