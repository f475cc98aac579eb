from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opencls.jobs.models import Job


@admin.register(Job)
class JobAdmin(SimpleHistoryAdmin):
    list_display = ("label", "kind", "requested_by", "contract", "status", "progress", "created_at")
    list_filter = ("status", "kind")
    list_select_related = ("requested_by", "contract")
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False
