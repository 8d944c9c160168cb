"""The `pages_only` marker's guard (conftest.py): a test marked so is left out of the PostgreSQL
pass, which is right only while its subject is a page's HTML. While such a test runs (its call,
not its fixtures), every statement it sends is watched; the test fails when one writes (beyond a
login (its session, last_login, an administrator's authenticator and ledger event) and the ledger's read events: what opening a page records), or asks the database
for a date or JSON computation (Django's SQLite functions and JSON operators: the dialects differ
there, so PostgreSQL must see it).
"""
import contextlib
import re

from django.db import connection

# What a GET of a page may write: the login's session and last_login, the ledger's read and login
# events (checked below: only those actions) and their queue.
_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I)
_DIALECT = re.compile(r"\bdjango_(date|datetime|time|format_dtdelta|timestamp_diff)\w*\(|JSON_EXTRACT|JSON_TYPE|"
                      r"json_each|->>|\bEXTRACT\s*\(|date_trunc", re.I)


def _allowed_writes() -> set[str]:
    from django.contrib.sessions.models import Session
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from liuhen.ledger.models import Entry, Pending

    # An administrator's login (liuhen.testing.otp.login_verified) binds their authenticator too.
    return {Session._meta.db_table, Entry._meta.db_table, Pending._meta.db_table, TOTPDevice._meta.db_table}


@contextlib.contextmanager
def watch():
    """Yields a list that holds, after the block, what a pages-only test may not do."""
    from django.contrib.auth import get_user_model

    from liuhen.accounts import vocabulary as accounts
    from liuhen.ledger.models import Entry
    from liuhen.ledger.vocabulary import is_read

    problems: list[str] = []
    allowed = _allowed_writes()
    users = get_user_model()._meta.db_table

    def wrapper(execute, sql, params, many, context):
        write = _WRITE.match(sql)
        if write and write[2] not in allowed and not (write[2] == users and "last_login" in sql):
            problems.append(f"writes {write[2]}: {sql[:120]}")
        elif _DIALECT.search(sql):
            problems.append(f"a date or JSON query: {sql[:160]}")
        return execute(sql, params, many, context)

    last = Entry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with connection.execute_wrapper(wrapper):
        yield problems
    written = Entry.objects.filter(pk__gt=last).values_list("action", flat=True)
    logins = {accounts.LOGIN, accounts.LOGOUT}
    problems.extend(f"logs {action} (not a read)" for action in written if not (is_read(action) or action in logins))
