"""Signing keys change only by an explicit, logged rotation (issue 12 §5).

The first key of a new log is announced in the log at its first integration; a new key or a switch
to SM2 is adopted only by `liuhen rotate_ledger_key`, which logs the announcement; the integrator
refuses to sign with any other key; `liuhen verify` reports a checkpoint signed by a key that no
logged announcement introduced. Old checkpoints stay verifiable after a rotation."""
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from liuhen.ledger import services as ledger
from liuhen.ledger import signing, storage
from liuhen.ledger import vocabulary as vocab
from liuhen.ledger.core import checkpoint as cp
from liuhen.ledger.core import note as notes
from liuhen.ledger.models import Checkpoint, Entry, LogIdentity, LogState, Pending, Sequenced
from liuhen.ledger.signing import KeyNotAnnouncedError
from liuhen.ledger.verify import verify_log

pytestmark = pytest.mark.usefixtures("fresh_home")


def _append(n=1, start=0):
    with transaction.atomic():
        return [ledger.append("test.write", object_type="test", object_id=start + i) for i in range(n)]


def _announcements():
    return [ledger.event_of(e) for e in Entry.objects.filter(action=vocab.KEY_ANNOUNCE).order_by("id")]


def rotate(*args):
    out = io.StringIO()
    call_command("rotate_ledger_key", *args, stdout=out)
    return out.getvalue()


def test_the_first_key_is_announced_under_the_first_checkpoint(verified_world):
    [first] = _announcements()
    assert first["detail"]["vkey"] == signing.signer().vkey() and first["detail"]["previous"] == ""
    entry = Entry.objects.get(action=vocab.KEY_ANNOUNCE)
    first_checkpoint = Checkpoint.objects.order_by("id").first()
    assert Sequenced.objects.get(entry=entry).seq < first_checkpoint.size  # inside the first signed tree
    assert LogIdentity.objects.get().vkey == signing.signer().vkey()


def test_a_key_that_was_never_announced_does_not_sign(verified_world, settings):
    settings.LIUHEN_LEDGER_SIGNATURE = "sm2"  # the configuration changed, no rotation
    _append(2)
    size = LogState.objects.get().size
    with pytest.raises(KeyNotAnnouncedError, match="rotate_ledger_key"):
        storage.integrate_all()
    assert LogState.objects.get().size == size and Pending.objects.count() == 2  # nothing sequenced


def test_a_replaced_key_file_does_not_sign(verified_world):
    signing.retire_key_file("ed25519")  # someone swapped the key under the server
    _append(1)
    with pytest.raises(KeyNotAnnouncedError):
        storage.integrate()


def test_rotation_to_sm2_is_announced_and_old_checkpoints_stay_verifiable(verified_world, settings):
    old = signing.signer().vkey()
    settings.LIUHEN_LEDGER_SIGNATURE = "sm2"
    out = rotate("--reason", "改用国密")
    new = signing.signer().vkey()
    assert new in out and "--vkey" in out
    last = _announcements()[-1]
    assert last["detail"] == {"vkey": new, "algorithm": "sm2", "previous": old, "reason": "rotation: 改用国密"}
    _append(2)
    storage.integrate_all()
    latest = Checkpoint.objects.order_by("-id").first()
    assert isinstance(notes.signers_of(latest.note, signing.verifiers())[0], notes.SM2Verifier)
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    assert "无需更换" in rotate()  # the same key again: nothing to do


def test_rotation_to_a_new_key_keeps_the_old_file(verified_world, home_keys):
    old = signing.signer()
    out = rotate("--new-key")
    assert (home_keys / f"ledger-ed25519.seed.{old.key_id.hex()}.retired").exists()
    new = signing.signer()
    assert new.vkey() != old.vkey() and new.vkey() in out
    _append(1)
    storage.integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    assert report.checkpoints == Checkpoint.objects.count() >= 2


@pytest.fixture
def home_keys(settings):
    return settings.LIUHEN_HOME / "keys"


def test_verify_reports_a_checkpoint_signed_by_an_unannounced_key(verified_world):
    """An attacker with SQL and file access signs with a key of their own and puts it on the keyring:
    the signature verifies, but no logged announcement introduced the key."""
    intruder = notes.Ed25519Signer.generate(signing.origin())
    ring = signing.checkpoint_dir() / "log.vkeys"
    ring.write_text(ring.read_text() + intruder.vkey() + "\n")
    state = LogState.objects.get()
    note = cp.sign_checkpoint(cp.Checkpoint(signing.origin(), state.size, bytes.fromhex(state.root_hash)), [intruder])
    c = Checkpoint.objects.create(size=state.size, root_hash=state.root_hash, note=note)
    report = verify_log()
    [f] = report.findings
    assert (f.kind, f.code, f.object) == ("checkpoint", vocab.UNANNOUNCED_KEY, f"checkpoint:{c.pk}")
    assert intruder.key_id.hex() in f.message


def test_the_integrator_command_stops_with_the_reason(verified_world, settings):
    from django.core.management.base import CommandError

    settings.LIUHEN_LEDGER_SIGNATURE = "sm2"
    _append(1)
    with pytest.raises(CommandError, match="rotate_ledger_key"):
        call_command("integrator", "--once", stdout=io.StringIO())
    assert Pending.objects.count() == 1
