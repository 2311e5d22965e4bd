"""PostgreSQL: leave room on each page of the per-project sums, so the update each save makes to its
project's row stays on the row's page (a HOT update: no index entry, no page added) and the table
keeps its size through a reporting season instead of growing by a row version a save."""

from django.db import migrations

FILLFACTOR = 70


def set_fillfactor(apps, schema_editor, value=FILLFACTOR):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("projects", "ProjectSums")._meta.db_table)
    schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {int(value)})")


def reset_fillfactor(apps, schema_editor):
    set_fillfactor(apps, schema_editor, value=100)


class Migration(migrations.Migration):
    dependencies = [("projects", "0009_node_note_limits")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
