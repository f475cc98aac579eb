from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opencls.region.models import ActionTheme, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    """Staff adjust the vocabulary: labels, order and the keywords of the suggestions."""

    list_display = ["label", "code", "position"]
    list_editable = ["position"]
    search_fields = ["label", "keywords"]


@admin.register(ActionTheme)
class ActionThemeAdmin(SimpleHistoryAdmin):
    list_display = ["action", "theme", "state", "decided_by", "decided_at"]
    list_filter = ["state", "theme"]
    list_select_related = ["action", "theme", "decided_by"]
    raw_id_fields = ["contract", "action", "decided_by"]
