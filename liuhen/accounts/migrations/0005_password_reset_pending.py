"""A person's state gains password_reset_pending (a password the system administrator reset cannot be
used to log in until the security administrator releases it: 三员分立 for a reset). It decides
whether the account may log in at all, so `liuhen verify` holds it to the log like the other state
columns.

As 0003_must_change_password: each existing person whose row still matches the last state the log
recorded for them gets one baseline event with the new state; a row already changed behind the
log's back gets none, and verify goes on reporting it. On a new database nothing is logged.
"""
import json

from django.db import migrations, models

MIGRATION = "accounts.0005_password_reset_pending"
# The person's state before and after this migration (historical models carry no
# ledger_state_fields of their own).
OLD_FIELDS = ("username", "agency_id", "unit_id", "is_active", "is_staff", "is_superuser", "must_change_password")
NEW_FIELDS = OLD_FIELDS + ("password_reset_pending",)


def last_logged_digests(Entry, using) -> dict[str, str]:
    """{user id: the content_sha256 of the last event about them that logged one}."""
    last = {}
    rows = (Entry.objects.using(using).filter(object_type="user").order_by("id")
            .values_list("object_id", "leaf").iterator(chunk_size=2000))
    for object_id, leaf in rows:
        try:
            digest = json.loads(bytes(leaf).decode("utf-8")).get("content_sha256")
        except (ValueError, AttributeError):
            continue  # an unreadable leaf: verify reports it
        if digest:
            last[object_id] = digest
    return last


def log_new_state(apps, schema_editor):
    from liuhen.ledger import services as ledger
    from liuhen.ledger.subjects import Unreadable, model_states, state_digest

    alias = schema_editor.connection.alias
    User = apps.get_model("accounts", "User")
    if not User.objects.using(alias).exists():
        return
    logged = last_logged_digests(apps.get_model("ledger", "Entry"), alias)
    old = dict(model_states(User, OLD_FIELDS, using=alias))
    for pk, state in model_states(User, NEW_FIELDS, using=alias):
        before = old.get(pk)
        if isinstance(state, Unreadable) or isinstance(before, Unreadable):
            continue
        if logged.get(pk) != state_digest(before):
            continue  # changed behind the log's back (or never logged): verify keeps reporting it
        ledger.append("accounts.state_baseline", object_type="user", object_id=pk,
                      content_sha256=state_digest(state), detail={"migration": MIGRATION})


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
