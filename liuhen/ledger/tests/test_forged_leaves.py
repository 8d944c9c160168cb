"""Whoever can INSERT into the ledger's tables can add an entry and its pending row, and `liuhen
verify` integrates it like any other: such a leaf may hold anything. Verify must report it and go
on — never stop with a traceback."""
import pytest
from django.utils import timezone

from liuhen.ledger.config import hash_algo
from liuhen.ledger.core.canonical import canonical_bytes
from liuhen.ledger.core.hashing import leaf_hash
from liuhen.ledger.models import Entry, Pending
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.testing.records import Scene

pytestmark = pytest.mark.usefixtures("fresh_home")


def forge(object_type, object_id, *, version=None, detail=None, action="x.forged", actor=None, raw=None):
    """An entry and its pending row, index columns as consistent with the leaf as they can be."""
    now = timezone.now()
    event = {"v": 1, "time": now.isoformat(timespec="microseconds"), "action": action, "actor": actor,
             "object": {"type": object_type, "id": object_id, "version": version}, "content_sha256": "",
             "blobs": [], "request": {"id": "", "channel": "", "ip": ""}, "detail": {} if detail is None else detail}
    leaf = raw if raw is not None else canonical_bytes(event)
    e = Entry.objects.create(created_at=now, action=action, actor_id=None, object_type=object_type,
                             object_id=object_id, object_version=version if isinstance(version, int) else None,
                             request_id="", leaf=leaf, leaf_hash=leaf_hash(leaf, hash_algo()).hex())
    Pending.objects.create(entry=e)
    return e


FORGERIES = {
    "an id too large for any key": dict(object_type="record", object_id="9" * 30),
    "a case id too large for any key": dict(object_type="case", object_id="9" * 30),
    "a user id that is not a number": dict(object_type="user", object_id="abc", action="accounts.role_grant",
                                           detail={"role": "legal_reviewer"}),
    "a role nobody has": dict(object_type="user", object_id="OFFICER", action="accounts.role_grant", detail={"role": "king"}),
    "a detail that is a list": dict(object_type="user", object_id="OFFICER", detail=["role"]),
    "a version that is a list": dict(object_type="record", object_id="RECORD", version=[2], action="record.version"),
    "an attachment id that is a list": dict(object_type="record", object_id="RECORD", action="record.attach",
                                            detail={"attachment": [1]}),
    "an actor that is a string": dict(object_type="record", object_id="RECORD", actor="root"),
    "JSON nested beyond reason": dict(object_type="record", object_id="RECORD",
                                      raw=b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
}


@pytest.mark.parametrize("what", FORGERIES)
def test_a_forged_leaf_is_reported_not_a_crash(world, what):
    scene = Scene(world)
    kw = dict(FORGERIES[what])
    kw["object_id"] = {"RECORD": str(scene.record.pk), "OFFICER": str(world.officer.pk)}.get(
        kw["object_id"], kw["object_id"])
    entry = forge(kw.pop("object_type"), kw.pop("object_id"), **kw)
    integrate_all()  # the integrator takes the forged leaf into the tree (verify only reads)
    report = verify_log()  # must return
    findings = [str(f) for f in report.findings]
    # Reported, and by the entry it is: not by a checker giving up (which would hide whatever
    # else it had to say about that kind of row).
    assert report.ok is False and [f.entry_id for f in report.findings] == [entry.pk], findings
    assert not any("无法解读" in f for f in findings), findings


def test_a_checker_that_fails_is_reported_as_a_finding(world, monkeypatch):
    from liuhen.ledger import subjects

    def broken(events):
        raise KeyError("detail")

    monkeypatch.setitem(subjects._SUBJECTS, "case", broken)
    report = verify_log()
    assert [(f.kind, f.object) for f in report.findings] == [("altered", "case:*")]
    assert "KeyError" in report.findings[0].message
