from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from opencls.accounts.models import Organisation, User
from opencls.contracts.models import ContractRole
from opencls.geo import selectors as geo


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
        "ars_region_code",
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
            {
                "fields": [
                    "organisation",
                    "ars_region_code",
                    "ars_department_codes",
                    "can_create_contracts",
                    "proconnect_required",
                ]
            },
        ),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (
            _("OpenCLS"),
            {
                "fields": [
                    "email",
                    "organisation",
                    "ars_region_code",
                    "ars_department_codes",
                    "can_create_contracts",
                ]
            },
        ),
    ]
    inlines = [ContractRoleInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """The ARS scope is chosen among the official régions and départements (COG)."""
        if db_field.name == "ars_region_code":
            return forms.ChoiceField(
                label=db_field.verbose_name,
                help_text=db_field.help_text,
                required=False,
                choices=[("", "—")] + [(code, f"{name} ({code})") for code, name in geo.regions()],
            )
        if db_field.name == "ars_department_codes":
            return forms.MultipleChoiceField(
                label=db_field.verbose_name,
                help_text=_(
                    "Pour une délégation départementale : ses départements (laisser la région vide). "
                    "Ctrl ou Cmd pour en choisir plusieurs."
                ),
                required=False,
                choices=[(code, f"{code} — {name}") for code, name in geo.departments()],
                widget=forms.SelectMultiple(attrs={"size": 12}),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
