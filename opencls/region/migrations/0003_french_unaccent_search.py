"""French full-text search that ignores accents (PostgreSQL only).

Creates the `unaccent` extension and a text search configuration `french_unaccent` (French
stemming on unaccented words). Where the database role may not create extensions, the migration
goes on without them and the search uses the plain `french` configuration
(`opencls.region.search.search_config` checks which one exists). SQLite: nothing to do.
"""

from django.db import migrations

CONFIG_SQL = """
CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
ALTER TEXT SEARCH CONFIGURATION french_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent'")
        if cursor.fetchone():
            return
        try:
            cursor.execute("SAVEPOINT opencls_unaccent")
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute(CONFIG_SQL)
            cursor.execute("RELEASE SAVEPOINT opencls_unaccent")
        except Exception:  # not allowed (no superuser, extension not installed): plain French
            cursor.execute("ROLLBACK TO SAVEPOINT opencls_unaccent")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent")


class Migration(migrations.Migration):
    dependencies = [("region", "0002_seed_themes")]
    operations = [migrations.RunPython(forwards, backwards)]
