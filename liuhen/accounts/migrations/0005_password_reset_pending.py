"""A person's state gains password_reset_pending (a password the system administrator reset cannot be
used to log in until the security administrator releases it: 三员分立 for a reset). It decides
whether the account may log in at all, so `liuhen verify` holds it to the log like the other state
columns.

As 0003_must_change_password: each existing person whose row still matches the last state the log
recorded for them gets one baseline event with the new state; a row already changed behind the
log's back gets none, and verify goes on reporting it. On a new database nothing is logged.
"""
from django.db import migrations, models

MIGRATION = "accounts.0005_password_reset_pending"
# The person's state before and after this migration (historical models carry no
# ledger_state_fields of their own).
OLD_FIELDS = ("username", "agency_id", "unit_id", "is_active", "is_staff", "is_superuser", "must_change_password")
NEW_FIELDS = OLD_FIELDS + ("password_reset_pending",)


def log_new_state(apps, schema_editor):
    from liuhen.ledger.subjects import adopt_wider_state

    adopt_wider_state(apps.get_model("accounts", "User"), "user", OLD_FIELDS, NEW_FIELDS, MIGRATION,
                      schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_chinese_verbose_names'),
        ('ledger', '0002_tree'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='password_reset_pending',
            field=models.BooleanField(default=False, help_text='系统管理员重置密码后，须经安全管理员确认，该账号才能登录。', verbose_name='密码重置待确认'),
        ),
        # Irreversible, as 0003: going back and forth would adopt whatever was changed in between.
        migrations.RunPython(log_new_state),
    ]
