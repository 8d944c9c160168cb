"""The server keeps its own evidence (issue 12 §5): a checkpoint is published only if it is a
consistent extension of the one already published — an RFC 9162 consistency proof read from the
stored tiles and checked by core.tree.verify_consistency, as a witness checks it."""
import logging

import pytest
from django.db import transaction

from liuhen.ledger import services as ledger
from liuhen.ledger import signing, storage
from liuhen.ledger import vocabulary as vocab
from liuhen.ledger.core import checkpoint as cp
from liuhen.ledger.models import Entry

from liuhen.testing.tampering import empty_ledger

pytestmark = pytest.mark.usefixtures("fresh_home")


def _append(n, start=0, tag="x"):
    with transaction.atomic():
        return [ledger.append("test.write", object_type="test", object_id=start + i, detail={"tag": tag})
                for i in range(n)]


def _published():
    path = signing.checkpoint_dir() / "checkpoint"
    return path.read_text(encoding="utf-8") if path.exists() else None


def _size(note):
    return cp.parse_checkpoint(note.split("\n\n", 1)[0] + "\n").size


def test_consistent_growth_is_published(db, django_capture_on_commit_callbacks):
    empty_ledger()
    for k in range(1, 4):
        _append(100 * k, start=1000 * k)
        with django_capture_on_commit_callbacks(execute=True):
            storage.integrate_all()
        assert _size(_published()) == storage.current_size()


def test_a_rewritten_history_is_not_published(db, django_capture_on_commit_callbacks, caplog):
    """Someone with the database rebuilds the log from other entries and lets the integrator sign it:
    the new checkpoint does not extend the published one, so it is not published — logged and
    recorded in the ledger, and the integrator is told."""
    empty_ledger()
    _append(10)
    with django_capture_on_commit_callbacks(execute=True):
        storage.integrate_all()
    published = _published()
    assert _size(published) == 11  # ten entries and the key's announcement
    empty_ledger()  # the whole log, gone…
    storage._cache.clear()
    _append(20, tag="rewritten")  # …and written again, longer
    caplog.set_level(logging.ERROR, logger="liuhen.ledger")
    with pytest.raises(storage.CheckpointRefused, match="拒绝发布"):
        with django_capture_on_commit_callbacks(execute=True):
            storage.integrate_all()
    assert _published() == published  # the evidence the server keeps is untouched
    assert any("not published" in r.getMessage() for r in caplog.records)
    refused = Entry.objects.get(action=vocab.CHECKPOINT_REFUSED)
    detail = ledger.event_of(refused)["detail"]
    assert (detail["published_size"], detail["size"]) == (11, 21)


def test_a_fork_at_the_same_size_is_not_published(db, django_capture_on_commit_callbacks):
    empty_ledger()
    _append(5)
    with django_capture_on_commit_callbacks(execute=True):
        storage.integrate_all()
    published = _published()
    state_size = storage.current_size()
    forked = cp.sign_checkpoint(cp.Checkpoint(signing.origin(), state_size, b"\x01" * 32), [signing.signer()])
    with pytest.raises(storage.CheckpointRefused):
        storage.publish_checkpoint(forked)
    assert _published() == published
