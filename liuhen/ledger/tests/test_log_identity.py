"""The log's hash and origin are fixed by its first write (issue 12 §5): a process configured
otherwise refuses to write — append and integrator alike — and `liuhen check` says so first."""
import importlib

import pytest
from django.apps import apps as django_apps
from django.core import checks
from django.db import transaction

from liuhen.ledger import identity, signing, storage
from liuhen.ledger import services as ledger
from liuhen.ledger import vocabulary as vocab
from liuhen.ledger.checks import ledger_configuration
from liuhen.ledger.identity import LedgerConfigError
from liuhen.ledger.models import Checkpoint, Entry, LogIdentity, Pending, Sequenced

from liuhen.testing.tampering import empty_ledger

pytestmark = pytest.mark.usefixtures("fresh_home")


def _append(n=1, start=0):
    with transaction.atomic():
        return [ledger.append("test.write", object_type="test", object_id=start + i) for i in range(n)]


def test_the_first_write_records_the_hash_and_origin(db, settings):
    empty_ledger()
    identity.forget()
    settings.LIUHEN_LEDGER_HASH = "sm3"
    settings.LIUHEN_LOG_ORIGIN = "example.gov.cn/liuhen"
    _append()
    row = LogIdentity.objects.get()
    assert (row.hash_algo, row.origin) == ("sm3", "example.gov.cn/liuhen")


def test_append_with_another_hash_is_refused_naming_both(verified_world, settings):
    entries = Entry.objects.count()
    settings.LIUHEN_LEDGER_HASH = "sm3"  # a process started with another LIUHEN_LEDGER_HASH
    with pytest.raises(LedgerConfigError, match="sha256") as refused:
        _append()
    assert "sm3" in str(refused.value)
    assert Entry.objects.count() == entries  # nothing mixed in


def test_the_integrator_with_another_hash_refuses(verified_world, settings):
    _append(2)  # queued by a correctly configured process
    settings.LIUHEN_LEDGER_HASH = "sm3"
    sequenced = Sequenced.objects.count()
    with pytest.raises(LedgerConfigError, match="sm3"):
        storage.integrate()
    with pytest.raises(LedgerConfigError):
        storage.integrate_all()
    assert Sequenced.objects.count() == sequenced and Pending.objects.count() == 2


def test_the_integrator_with_another_origin_refuses(verified_world, settings):
    _append(1)
    settings.LIUHEN_LOG_ORIGIN = "another.example/ledger"
    with pytest.raises(LedgerConfigError, match="another.example/ledger"):
        storage.integrate()
    assert Pending.objects.count() == 1


def test_system_check_names_the_mismatch(verified_world, settings):
    assert ledger_configuration() == []
    settings.LIUHEN_LEDGER_HASH = "sm3"
    settings.LIUHEN_LOG_ORIGIN = "another.example/ledger"
    settings.LIUHEN_LEDGER_SIGNATURE = "sm2"
    found = {m.id: m for m in ledger_configuration()}
    assert set(found) == {vocab.CHECK_HASH, vocab.CHECK_ORIGIN, vocab.CHECK_KEY}
    assert found["liuhen.ledger.E001"].level == checks.ERROR and "sha256" in found["liuhen.ledger.E001"].msg
    # registered: `liuhen check` (and every command that runs the checks) reports it
    assert vocab.CHECK_HASH in {m.id for m in checks.run_checks()}


def test_the_migration_records_the_identity_of_an_existing_log(verified_world):
    """A log older than the identity table: its hash from its first leaf, its origin from its first
    checkpoint, and the keys that signed its checkpoints announced now (reason "legacy")."""
    first_checkpoint = Checkpoint.objects.order_by("id").first()
    assert first_checkpoint is not None
    LogIdentity.objects.all().delete()  # as before migration 0003
    migration = importlib.import_module("liuhen.ledger.migrations.0003_log_identity")
    with transaction.atomic():
        migration.record_identity(django_apps, None)
    row = LogIdentity.objects.get()
    assert (row.hash_algo, row.origin) == ("sha256", signing.origin())
    assert row.vkey == signing.signer().vkey() and row.signature_algo == "ed25519"
    announced = Entry.objects.get(pk=row.key_entry_id)
    assert announced.action == vocab.KEY_ANNOUNCE and ledger.event_of(announced)["detail"]["reason"] == "legacy"
    storage.integrate_all()  # the log goes on, signed by the announced key
