"""Normalise the text already stored (line endings, NFC, spaces at line ends) like text entered now.

Rows are rewritten with `QuerySet.update`, which creates no history row: nobody changed the
contract, the text only gets the form every new entry has. The history tables are normalised
the same way, so the next real change is not shown against a CRLF version of itself.
"""

from django.db import migrations, models

from opencls.core.text import normalize_text

APPS = ("accounts", "territories", "contracts", "actions", "monitoring", "governance", "finance")
BATCH = 500


def _text_fields(model) -> list[str]:
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
        and not field.primary_key
        and field.name != "password"
    ]


def normalize_stored_text(apps, schema_editor):
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            names = _text_fields(model)
            if not names:
                continue
            pk = model._meta.pk.attname
            manager = model._base_manager
            for row in manager.values_list(pk, *names).iterator(chunk_size=BATCH):
                changed = {
                    name: normalize_text(value)
                    for name, value in zip(names, row[1:], strict=True)
                    if isinstance(value, str) and normalize_text(value) != value
                }
                if changed:
                    manager.filter(**{pk: row[0]}).update(**changed)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("territories", "0001_initial"),
        ("contracts", "0001_initial"),
        ("actions", "0001_initial"),
        ("monitoring", "0001_initial"),
        ("governance", "0001_initial"),
        ("finance", "0001_initial"),
    ]

    operations = [migrations.RunPython(normalize_stored_text, migrations.RunPython.noop, elidable=True)]
