"""Users are created through a manager that logs them (createsuperuser included), and the rows that
existed before `liuhen verify` checked their state get one baseline event each.

Before this migration only roles were checked: people, certificates (执法证), agencies and units had
no event carrying their state. Without a baseline every existing row would be reported as inserted.
The baseline vouches for the rows as they are when the migration runs (the log cannot vouch for
what it never recorded); its events say so by their action. On a new database the tables are empty
and nothing is logged.
"""
from django.db import migrations

import liuhen.accounts.models

# The state of each model as its `ledger_state_fields` declared it when this migration was written
# (historical models carry no such attribute).
STATES = (
    ("agency", "Agency", ("name", "short_name", "credit_code", "address", "phone")),
    ("unit", "Unit", ("agency_id", "name")),
    ("user", "User", ("username", "agency_id", "unit_id", "is_active", "is_staff", "is_superuser")),
    ("certificate", "Certificate", ("holder_id", "number", "issued_by", "valid_from", "valid_until", "revoked")),
)


def log_baseline(apps, schema_editor):
    from liuhen.ledger import services as ledger
    from liuhen.ledger.subjects import model_states, state_digest

    alias = schema_editor.connection.alias
    for object_type, name, fields in STATES:
        model = apps.get_model("accounts", name)
        for pk, state in model_states(model, fields, using=alias):
            ledger.append("accounts.state_baseline", object_type=object_type, object_id=pk,
                          content_sha256=state_digest(state), detail={"migration": "accounts.0002_ledger_state"})


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("ledger", "0002_tree"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", liuhen.accounts.models.UserManager()),
            ],
        ),
        # Irreversible: migrating back and forward again would log a new baseline for rows as
        # they are then, and so accept any change made to them in between.
        migrations.RunPython(log_baseline),
    ]
