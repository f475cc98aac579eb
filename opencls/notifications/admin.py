from django.contrib import admin

from opencls.notifications.models import Notification, Preference, SentDigest


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "kind", "contract", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    list_select_related = ("user", "contract")
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


admin.site.register(Preference)
admin.site.register(SentDigest)
