from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from opencls.accounts.models import Organisation, User
from opencls.contracts.models import ContractRole


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "siret", "region", "proconnect_required"]
    list_filter = ["kind", "region", "proconnect_required"]
    search_fields = ["name", "normalised_name", "siret"]


class ContractRoleInline(admin.TabularInline):
    model = ContractRole
    extra = 0
    autocomplete_fields = ["contract"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "organisation",
        "ars_region",
        "can_create_contracts",
        "is_staff",
    ]
    list_select_related = ["organisation"]
    list_filter = [*DjangoUserAdmin.list_filter, "organisation__kind"]
    search_fields = [*DjangoUserAdmin.search_fields, "organisation__name"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("OpenCLS"),
            {"fields": ["organisation", "ars_region", "can_create_contracts", "proconnect_required"]},
        ),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("OpenCLS"), {"fields": ["email", "organisation", "ars_region", "can_create_contracts"]}),
    ]
    inlines = [ContractRoleInline]
