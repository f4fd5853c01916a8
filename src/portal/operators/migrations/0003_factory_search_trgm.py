"""FAC-04: trigram GIN indexes for searching factories by part of the factory's or its
operator's Thai name, on PostgreSQL only (SQLite, the embedded database, scans).

Django writes `name_th__icontains` as UPPER("name_th"::text) LIKE UPPER(%s), so the indexes
are on that expression; pg_trgm then serves the LIKE '%...%' from the index."""

from django.db import migrations

INDEXES = (
    ("operators_factory_name_th_trgm", "operators_factory"),
    ("operators_business_name_th_trgm", "operators_business"),
)


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER(name_th::text)) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("operators", "0002_factory_factoryholding_and_more"),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
