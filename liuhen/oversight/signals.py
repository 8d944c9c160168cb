"""Incremental re-check (即时复查): a change to what the checks read re-checks its case once the
transaction commits.

Hooked on the writing apps' models (post_save of the append-only rows the services write: a case,
its officers and stage transitions, a record, its versions, signatures, refusal confirmations and
voids, footage links and unlinks, a decision's revocation or replacement, a publication step and a
不予公开 exemption), not on the ledger: not every ledger entry names a case (a
signature's names the record), and a model signal carries the row whose case is one attribute away.
The case ids of one transaction are collected and re-checked together by one `on_commit` callback,
after the commit — a rolled-back change re-checks nothing, and the writer's transaction never waits
for the engine nor fails because of it (an error is logged; the next `liuhen check` catches up).

Not re-checked at once (by the periodic `liuhen check`): a certificate's change (it touches every
case of its holder) and a field trip (AS 12, the footage of one officer across cases); and time
itself — a running clock turning overdue.
"""
import logging
import threading

from django.db import transaction
from django.db.models.signals import post_save

logger = logging.getLogger(__name__)
_local = threading.local()


def _pending() -> set:
    if not hasattr(_local, "ids"):
        _local.ids = set()
    return _local.ids


def suspended():
    """A context manager under which changes do not trigger re-checks (bulk loads; a full scan follows)."""
    from contextlib import contextmanager

    @contextmanager
    def _cm():
        before = getattr(_local, "off", False)
        _local.off = True
        try:
            yield
        finally:
            _local.off = before
    return _cm()


def _flush() -> None:
    from . import engine

    from django.db import IntegrityError

    ids, _local.ids = _pending(), set()
    if not ids:
        return
    for attempt in (1, 2):
        try:
            engine.recheck(sorted(ids))
            return
        except IntegrityError:
            # Another worker re-checked the same case between our read of its stored findings and
            # our write, and stored a finding we were adding (case, key is unique): compare again
            # with what it stored — the second pass writes only what still differs.
            if attempt == 2:
                logger.exception("findings: re-check of cases %s failed twice", sorted(ids))
        except Exception:  # the change is committed; the engine must not turn it into an error page
            logger.exception("findings: re-check of cases %s failed", sorted(ids))
            return


def touch(case_id) -> None:
    """Re-check `case_id` when the current transaction commits (at once outside a transaction)."""
    if case_id is None or getattr(_local, "off", False):
        return
    _pending().add(case_id)
    # One callback per change (a rolled-back transaction drops its callbacks); the first to run
    # re-checks every pending case, the others find nothing left to do.
    transaction.on_commit(_flush)


def _cached(instance, name):
    """The related object `name` if already loaded on `instance` (no query), else None."""
    return instance._state.fields_cache.get(name)


def _case_of_record(record_id, instance=None, name="record"):
    rec = _cached(instance, name) if instance is not None else None
    if rec is not None:
        return rec.case_id
    from liuhen.records.models import Record

    return Record.objects.filter(pk=record_id).values_list("case_id", flat=True).first()


def _on_case(sender, instance, **kw):
    touch(instance.pk)


def _on_case_fk(sender, instance, **kw):
    touch(instance.case_id)


def _on_record_child(sender, instance, **kw):
    touch(_case_of_record(instance.record_id, instance))


def _on_confirmation(sender, instance, **kw):
    sig = _cached(instance, "signature")
    if sig is None:
        from liuhen.records.models import Signature

        record_id = Signature.objects.filter(pk=instance.signature_id).values_list("record_id", flat=True).first()
        touch(_case_of_record(record_id))
    else:
        touch(_case_of_record(sig.record_id, sig))


def _on_unlink(sender, instance, **kw):
    link = _cached(instance, "link")
    if link is None:
        from liuhen.footage.models import FootageLink

        touch(FootageLink.objects.filter(pk=instance.link_id).values_list("case_id", flat=True).first())
    else:
        touch(link.case_id)


def _on_withdrawal(sender, instance, **kw):
    doc = _cached(instance, "document")
    if doc is None:
        from liuhen.documents.models import IssuedDocument

        record_id = IssuedDocument.objects.filter(pk=instance.document_id).values_list("record_id", flat=True).first()
        touch(_case_of_record(record_id))
    else:
        touch(_case_of_record(doc.record_id, doc))


def _on_publication_step(sender, instance, **kw):
    from liuhen.publicity.models import Version

    touch(Version.objects.filter(pk=instance.version_id).values_list("entry__case_id", flat=True).first())


def connect() -> None:
    """Called by OversightConfig.ready()."""
    from liuhen.cases.models import Case, CaseOfficer, StageTransition
    from liuhen.footage.models import FootageLink, FootageUnlink
    from liuhen.records.models import Record, RecordVersion, RecordVoid, RefusalConfirmation, Signature

    post_save.connect(_on_case, sender=Case, dispatch_uid="oversight.case")
    for model in (CaseOfficer, StageTransition, Record, FootageLink):
        post_save.connect(_on_case_fk, sender=model, dispatch_uid=f"oversight.{model.__name__}")
    for model in (RecordVersion, Signature, RecordVoid):
        post_save.connect(_on_record_child, sender=model, dispatch_uid=f"oversight.{model.__name__}")
    post_save.connect(_on_confirmation, sender=RefusalConfirmation, dispatch_uid="oversight.confirmation")
    post_save.connect(_on_unlink, sender=FootageUnlink, dispatch_uid="oversight.unlink")
    # The publication clocks (publicity.clocks): a revocation or replacement starts one, a step or an
    # exemption ends one.
    from liuhen.documents.models import DocumentWithdrawal
    from liuhen.publicity.models import Exemption, Step

    post_save.connect(_on_withdrawal, sender=DocumentWithdrawal, dispatch_uid="oversight.withdrawal")
    post_save.connect(_on_publication_step, sender=Step, dispatch_uid="oversight.publication_step")
    post_save.connect(_on_case_fk, sender=Exemption, dispatch_uid="oversight.exemption")
