from django.db import migrations


def create_hnsw_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from parkbridge.matching.vectors import hnsw_index_sql

    # The bundled model's vectors have 384 dimensions.
    schema_editor.execute(hnsw_index_sql(384))


def drop_hnsw_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS matching_passage_hnsw_384")


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [migrations.RunPython(create_hnsw_index, drop_hnsw_index)]
