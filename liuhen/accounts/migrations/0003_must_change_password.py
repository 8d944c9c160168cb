"""A person's state gains must_change_password (a password an administrator set must be changed by
its owner at the next login): it decides what they may do next, so `liuhen verify` holds it to the
log like the other state columns.

Adding a column to the state changes every person's digest, so each existing person gets one
baseline event with the new state — but only a person whose row still matches the last state the
log recorded for them. A row already changed behind the log's back gets no baseline: verify goes on
reporting it against the event it contradicts, instead of this migration adopting the change (as a
blanket baseline would). On a new database the table is empty and nothing is logged.
"""
from django.db import migrations, models

MIGRATION = "accounts.0003_must_change_password"
# The person's state before and after this migration (historical models carry no
# ledger_state_fields of their own).
OLD_FIELDS = ("username", "agency_id", "unit_id", "is_active", "is_staff", "is_superuser")
NEW_FIELDS = OLD_FIELDS + ("must_change_password",)


def log_new_state(apps, schema_editor):
    from liuhen.ledger.subjects import adopt_wider_state

    adopt_wider_state(apps.get_model("accounts", "User"), "user", OLD_FIELDS, NEW_FIELDS, MIGRATION,
                      schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_ledger_state'),
        ('ledger', '0002_tree'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='must_change_password',
            field=models.BooleanField(default=False, help_text='由管理员设置或重置的密码，本人下次登录时必须修改。', verbose_name='下次登录须修改密码'),
        ),
        # Irreversible, as 0002: going back and forth would adopt whatever was changed in between.
        migrations.RunPython(log_new_state),
    ]
