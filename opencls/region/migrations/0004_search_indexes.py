"""GIN indexes for the regional search on PostgreSQL (issue 16): the French text vector of the
actions' and operations' own text, the same expression `opencls.region.search` filters on.
Created with the configuration migration 0003 left (`french_unaccent`, else `french`)."""

from django.db import migrations

from opencls.region.search_sql import INDEXES


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent'")
        config = "french_unaccent" if cursor.fetchone() else "french"
        for name, table, expression in INDEXES:
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression(config)}))")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, _table, _expression in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("region", "0003_french_unaccent_search"), ("actions", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
