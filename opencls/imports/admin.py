from django.contrib import admin

from opencls.imports.models import DocumentImport


@admin.register(DocumentImport)
class DocumentImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "file_format", "user", "created_at", "contract"]
    list_select_related = ["user", "contract"]
    readonly_fields = [
        "user",
        "filename",
        "file_format",
        "size",
        "data",
        "contract",
        "created_at",
        "saved_at",
    ]
