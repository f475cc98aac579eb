"""The official geography, readable in the admin; it is refreshed by `load_territories` only."""

from django.contrib import admin

from opencls.geo.models import (
    OfficialCommune,
    OfficialDataset,
    OfficialDepartment,
    OfficialEPCI,
    OfficialRegion,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OfficialRegion)
class OfficialRegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(OfficialDepartment)
class OfficialDepartmentAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "region"]
    list_select_related = ["region"]
    search_fields = ["code", "name"]


@admin.register(OfficialEPCI)
class OfficialEPCIAdmin(ReadOnlyAdmin):
    list_display = ["siren", "name", "nature", "population", "member_count"]
    list_filter = ["nature"]
    search_fields = ["siren", "name", "normalised_name"]


@admin.register(OfficialCommune)
class OfficialCommuneAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "department_code", "population", "epci"]
    list_select_related = ["epci"]
    search_fields = ["code", "name", "normalised_name"]


@admin.register(OfficialDataset)
class OfficialDatasetAdmin(ReadOnlyAdmin):
    list_display = ["version", "cog_year", "population_year", "loaded_at", "departments_filter"]
