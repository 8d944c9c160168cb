"""A separate process that writes data into the instance its environment names (DATABASE_URL,
LIUHEN_HOME), for the restore drill (test_backup_restore.py):

    python -m liuhen.ops.tests.build case        # a world and a small case (a party, a record, a photo)
    python -m liuhen.ops.tests.build more N      # N more ledger events

Each integrates and signs what it wrote, so that a published checkpoint covers it.
"""
import os
import sys


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liuhen.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction

    from liuhen.ledger import services as ledger
    from liuhen.ledger.storage import integrate_all

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # cheap: a test's people
    if argv[0] == "case":
        from liuhen.testing.ledger import small_case
        from liuhen.testing.world import World

        small_case(World())
    else:
        for i in range(int(argv[1])):
            with transaction.atomic():
                ledger.append("test.write", object_type="test", object_id=f"more-{i}", detail={"i": i})
    integrate_all()


if __name__ == "__main__":
    main(sys.argv[1:])
