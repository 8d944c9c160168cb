"""A separate process that works on the instance its environment names (DATABASE_URL,
LIUHEN_HOME), for the restore drill (test_backup_restore.py). It runs the steps it is given, in
order, and prints one JSON list: each step's outcome.

    python -m liuhen.ops.tests.build STEP [STEP ...]      # each STEP a JSON list:

    ["case"]                  a world and a small case (a party, a record, a photo)
    ["more", N]               N more ledger events
    ["liuhen", ARG, ...]      the `liuhen` command with ARGs through its own command line (argument
                              parsing, CommandError to stderr and the exit code): {"rc", "out", "err"}
    ["read"]                  the party's decrypted ID number, and how many stored files verify
    ["count"]                 how many ledger entries there are

"case" and "more" integrate and sign what they wrote, so that a published checkpoint covers it.
Several steps share one process because each child imports Django and the project (seconds each):
a step that must see the instance as a new process does — the first read after a restore — starts
a child of its own.
"""
import contextlib
import io
import json
import os
import sys
import traceback


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liuhen.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # cheap: a test's people
    print(json.dumps([STEPS[step[0]](*step[1:]) for step in map(json.loads, argv)]))


def case():
    from liuhen.ledger.storage import integrate_all
    from liuhen.testing.ledger import small_case
    from liuhen.testing.world import World

    small_case(World())
    integrate_all()


def more(n):
    from django.db import transaction

    from liuhen.ledger import services as ledger
    from liuhen.ledger.storage import integrate_all

    for i in range(int(n)):
        with transaction.atomic():
            ledger.append("test.write", object_type="test", object_id=f"more-{i}", detail={"i": i})
    integrate_all()


def liuhen(*args):
    from django.core.management import ManagementUtility

    out, err = io.StringIO(), io.StringIO()
    rc = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            ManagementUtility(["liuhen", *args]).execute()
        except SystemExit as exc:  # what the command line exits with
            rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except Exception:  # uncaught: the interpreter would print it and exit 1
            traceback.print_exc()
            rc = 1
    return {"rc": rc, "out": out.getvalue(), "err": err.getvalue()}


def read():
    from liuhen.cases.models import Party
    from liuhen.media import store
    from liuhen.media.models import Blob

    return {"id_number": Party.objects.get().id_number,
            "verified": sum(store.backend().verify(b.sha256) for b in Blob.objects.all())}


def count():
    from liuhen.ledger.models import Entry

    return Entry.objects.count()


STEPS = {"case": case, "more": more, "liuhen": liuhen, "read": read, "count": count}


if __name__ == "__main__":
    main(sys.argv[1:])
