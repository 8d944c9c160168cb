"""`rotate_ledger_key --new-key` changes the key files only with a committed announcement (review of
issue 12, first suspicion): when the announcing transaction fails, the key file, log.vkey and
log.vkeys are as they were (no fresh key left unannounced in place, none in the key ring), and the
log goes on signing with the key it announced."""
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from liuhen.ledger import services as ledger
from liuhen.ledger import signing, storage
from liuhen.ledger.models import LogIdentity
from liuhen.ledger.verify import verify_log

pytestmark = pytest.mark.usefixtures("fresh_home")


def _files() -> dict[str, bytes]:
    home = Path(settings.LIUHEN_HOME)
    paths = list((home / "keys").iterdir()) + [home / "checkpoints" / "log.vkey", home / "checkpoints" / "log.vkeys"]
    return {p.name: p.read_bytes() for p in paths if p.exists()}


def test_a_failed_rotation_leaves_the_key_files_as_they_were(verified_world, settings):
    announced = LogIdentity.objects.get().vkey
    assert signing.signer().vkey() == announced
    before = _files()
    origin = getattr(settings, "LIUHEN_LOG_ORIGIN", "liuhen.local/ledger")
    settings.LIUHEN_LOG_ORIGIN = "elsewhere.example/ledger"  # the announcing transaction refuses
    with pytest.raises(CommandError):
        call_command("rotate_ledger_key", "--new-key", stdout=io.StringIO())
    assert _files() == before  # no .retired file, no fresh key, no unannounced key in the ring
    assert LogIdentity.objects.get().vkey == announced
    settings.LIUHEN_LOG_ORIGIN = origin
    assert signing.signer().vkey() == announced
    with transaction.atomic():
        ledger.append("test.write", object_type="test", object_id=1)
    storage.integrate_all()  # the announced key still signs
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]


def test_a_successful_rotation_still_retires_the_old_key(verified_world):
    old = signing.signer()
    call_command("rotate_ledger_key", "--new-key", stdout=io.StringIO())
    keys = Path(settings.LIUHEN_HOME) / "keys"
    assert (keys / f"ledger-ed25519.seed.{old.key_id.hex()}.retired").exists()
    assert LogIdentity.objects.get().vkey == signing.signer().vkey() != old.vkey()
