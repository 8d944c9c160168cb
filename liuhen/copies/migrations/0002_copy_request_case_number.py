"""A copy request's state gains the case's number (案件编号): a package's manifest shows the number
the court files the evidence under, and the offline checker holds it to the request's logged state
(without the package carrying the case's own events, which hold its title and summary).

Each existing request gets the number of its case. As accounts.0005: each request whose row still
matched the last state the log recorded for it gets one baseline event (copies.state_baseline) with
the new state; a row already changed behind the log's back gets none, and verify goes on reporting
it. On a new database nothing is logged.
"""
from django.db import migrations, models

MIGRATION = "copies.0002_copy_request_case_number"
OLD_FIELDS = ("agency_id", "case_id", "item_ids", "receiver_kind", "receiver_name", "purpose",
              "court_case_number", "requested_by_id", "requested_at")
NEW_FIELDS = OLD_FIELDS + ("case_number",)
TABLE = "copies_copyrequest"


def fill_and_log(apps, schema_editor):
    from liuhen.common.append_only import lift_update_trigger
    from liuhen.ledger.subjects import adopt_wider_state

    connection = schema_editor.connection
    CopyRequest = apps.get_model("copies", "CopyRequest")
    if not CopyRequest.objects.using(connection.alias).exists():
        return
    # The table is append-only (common.append_only): its trigger refuses this one UPDATE, so it is
    # lifted here and installed again by the post_migrate handler that installs them after every
    # migrate.
    lift_update_trigger(connection, TABLE)
    with connection.cursor() as cur:
        cur.execute(f'UPDATE "{TABLE}" SET case_number = (SELECT number FROM cases_case'
                    f' WHERE cases_case.id = "{TABLE}".case_id)')
    adopt_wider_state(CopyRequest, "copy_request", OLD_FIELDS, NEW_FIELDS, MIGRATION, connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('copies', '0001_copy_request_approval_package_handover'),
        ('ledger', '0002_tree'),
    ]

    operations = [
        migrations.AddField(
            model_name='copyrequest',
            name='case_number',
            field=models.CharField(blank=True, default='', max_length=60, verbose_name='案件编号'),
        ),
        # Irreversible, as accounts.0005: going back and forth would adopt whatever changed in between.
        migrations.RunPython(fill_and_log),
    ]
