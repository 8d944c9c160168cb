"""The record types that existed before `liuhen verify` checked their state get one baseline event
each (see accounts.0002_ledger_state): without it every one would be reported as inserted. The
catalog sync that follows every migrate then logs each type it creates or changes. On a new database
the table is empty here and nothing is logged.
"""
from django.db import migrations

# RecordType.ledger_state_fields when this migration was written.
FIELDS = ("code", "name", "stage", "fields", "signature_rule", "position", "active")


def log_baseline(apps, schema_editor):
    from liuhen.ledger import services as ledger
    from liuhen.ledger.subjects import model_states, state_digest

    model = apps.get_model("records", "RecordType")
    for pk, state in model_states(model, FIELDS, using=schema_editor.connection.alias):
        ledger.append("records.state_baseline", object_type="recordtype", object_id=pk,
                      content_sha256=state_digest(state), detail={"migration": "records.0002_ledger_state"})


class Migration(migrations.Migration):

    dependencies = [
        ("records", "0001_initial"),
        ("ledger", "0002_tree"),
    ]

    operations = [
        # Irreversible: migrating back and forward again would log a new baseline for rows as
        # they are then, and so accept any change made to them in between.
        migrations.RunPython(log_baseline),
    ]
