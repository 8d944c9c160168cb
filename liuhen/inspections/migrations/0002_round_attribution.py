"""A round keeps, for each sampled item, who and which unit answered for it at the draw (归属:
footage — the officer, the officer's unit and the device number; a device — its unit and 保管人).
The 检查台账 of LW-D 14 counts a round's failures under these, no longer under whoever holds the
device or wherever the officer works today. It is part of the round's logged state, so `liuhen
verify` holds it to the log.

Rounds drawn before this migration had recorded no attribution: they are filled FROM THE DATA AS IT
IS WHEN THE MIGRATION RUNS (a device moved or an officer transferred since the draw is attributed to
where it is now — nothing older is known). Then, as accounts.0005, each such round whose row still
matches the last state the log recorded gets one baseline event (inspections.state_baseline, naming
this migration) with the new state; a round already changed behind the log's back gets none, and
verify goes on reporting it. On a new database nothing is filled or logged.

Rounds are append-only (database triggers refuse UPDATE): the fill lifts the round table's trigger
for its own UPDATE and puts it back at once (post_migrate installs it again in any case).
"""
from django.db import migrations, models

MIGRATION = "inspections.0002_round_attribution"
# The round's state before and after this migration (historical models carry no ledger_state_fields).
OLD_FIELDS = ("agency_id", "kind", "unit_id", "period_from", "period_to", "criteria", "requested", "percent",
              "population_size", "population_digest", "seed", "sample", "checklist", "drawn_by_id", "drawn_at")
NEW_FIELDS = OLD_FIELDS + ("attribution",)


def fill_from_current_data(apps, schema_editor):
    from liuhen.common.append_only import install_triggers, lift_update_trigger
    from liuhen.inspections import attribution
    from liuhen.ledger.subjects import adopt_wider_state

    using = schema_editor.connection.alias
    Round = apps.get_model("inspections", "Round")
    if not Round._default_manager.using(using).exists():
        return
    FootageItem = apps.get_model("footage", "FootageItem")
    Device = apps.get_model("devices", "Device")
    lift_update_trigger(schema_editor.connection, Round._meta.db_table)
    for row in Round._base_manager.using(using).order_by("pk").iterator():
        if row.attribution:
            continue  # recorded at its draw: never overwritten
        filled = attribution.of(row.kind, row.sample or [], FootageItem, Device, using=using)
        Round._base_manager.using(using).filter(pk=row.pk).update(attribution=filled)
    install_triggers(schema_editor.connection, [Round])
    adopt_wider_state(Round, "inspection_round", OLD_FIELDS, NEW_FIELDS, MIGRATION, using)


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0001_rounds_findings_closings'),
        ('devices', '0003_device_life_events'),
        ('footage', '0002_uploads_and_their_ends'),
        ('ledger', '0003_log_identity'),
    ]

    operations = [
        migrations.AddField(
            model_name='round',
            name='attribution',
            field=models.JSONField(default=dict, verbose_name='归属'),
        ),
        # Irreversible, as accounts.0005: going back and forth would adopt whatever changed in between.
        migrations.RunPython(fill_from_current_data),
    ]
