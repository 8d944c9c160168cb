"""A person's state gains must_change_password (a password an administrator set must be changed by
its owner at the next login): it decides what they may do next, so `liuhen verify` holds it to the
log like the other state columns.

Adding a column to the state changes every person's digest, so each existing person gets one
baseline event with the new state — but only a person whose row still matches the last state the
log recorded for them. A row already changed behind the log's back gets no baseline: verify goes on
reporting it against the event it contradicts, instead of this migration adopting the change (as a
blanket baseline would). On a new database the table is empty and nothing is logged.
"""
import json

from django.db import migrations, models

MIGRATION = "accounts.0003_must_change_password"
# The person's state before and after this migration (historical models carry no
# ledger_state_fields of their own).
OLD_FIELDS = ("username", "agency_id", "unit_id", "is_active", "is_staff", "is_superuser")
NEW_FIELDS = OLD_FIELDS + ("must_change_password",)


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
