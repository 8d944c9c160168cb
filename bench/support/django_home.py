"""What the benchmarks that run Liuhen share (not a benchmark itself): a throw-away LIUHEN_HOME with its own SQLite
database, Django set up and migrated in this process (imported by bench/check.py, bench/documents.py)."""
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def setup(home: Path) -> None:
    os.environ["LIUHEN_HOME"] = str(home)
    os.environ["DATABASE_URL"] = f"sqlite:///{home / 'liuhen.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liuhen.settings")
    os.environ.pop("LIUHEN_DEBUG", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
