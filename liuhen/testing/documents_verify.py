"""Helpers of the tests of the public verification page (扫码验真) and of revoked / replaced
documents: an issued document, its stored bytes, a tampered copy, a later version of a record, and
the events the page wrote."""
import json


def issued(world, case=None, *, by=None):
    """A complete 询问笔录 issued (文号, sealed PDF and PDF/A copy stored)."""
    from liuhen.documents import services
    from liuhen.testing.documents_seal import complete_record

    return services.issue_document(by or world.officer, complete_record(world, case))


def stored(sha256: str) -> bytes:
    from liuhen.media import store

    with store.open_blob(sha256) as f:
        return f.read()


def tampered(data: bytes, at: int | None = None) -> bytes:
    """The same bytes with one byte changed (in the middle unless `at` says where)."""
    i = len(data) // 2 if at is None else at
    return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]


def later_version(world, record):
    """A second version of a signed record, written as records would write an amendment (a new
    RecordVersion row and its `record.version` event). The records app refuses to revise a signed
    record today (作废后重新制作); this stands for the amendment the re-issue path is built for."""
    from django.db import transaction

    from liuhen.ledger import services as ledger
    from liuhen.ledger.core.canonical import content_sha256
    from liuhen.records.models import RecordVersion

    latest = record.versions.order_by("-number").first()
    content = dict(latest.content)
    key = next(k for k, value in content.items() if value in ("测试", "测试内容"))  # a text field (testing.cases.fill)
    content[key] = f"{content[key]}（更正）"
    with transaction.atomic():
        version = RecordVersion.objects.create(record=record, number=latest.number + 1, content=content,
                                               content_sha256=content_sha256(content), reason="更正笔误",
                                               author=world.officer)
        ledger.append("record.version", actor=world.officer, object_type="record", object_id=record.pk,
                      object_version=version.number, content_sha256=version.content_sha256,
                      detail={"reason": "更正笔误"})
    return version


def events(action):
    from liuhen.ledger.models import Entry

    return [json.loads(bytes(e.leaf)) for e in Entry.objects.filter(action=action).order_by("pk")]


def _verifies():
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log

    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]


def issued_scene(where=None):
    """A world verifying clean, then two documents issued on one case, the second's 文号 voided and a
    second issue of the first record refused, integrated and verifying clean: what the documents'
    tamper tests start from (built once per run, liuhen.testing.demo.scene_snapshot). Returns
    (world, document, other document, void)."""
    from django.core.exceptions import ValidationError

    from liuhen.documents import numbers, services
    from liuhen.testing.documents_seal import complete_record
    from liuhen.testing.world import World

    world = World()
    _verifies()  # as the verified_world fixture had it
    doc = services.issue_document(world.officer, complete_record(world))
    other = services.issue_document(world.officer, complete_record(world, doc.record.case))
    void = numbers.void_number(world.agency_head, other.number, "当事人名称有误")
    try:  # a refusal about a record: a read, it moves no state
        services.issue_document(world.officer, doc.record)
    except ValidationError:
        pass
    else:
        raise AssertionError("a second issue of one record was not refused")
    _verifies()
    return world, doc, other, void


def withdrawn_scene(where=None):
    """A world verifying clean, then a revoked document, a replaced one (its replacement issued
    from a later version) and a valid one, integrated and verifying clean: what the withdrawal
    tamper tests start from (built once per run, liuhen.testing.demo.scene_snapshot). Returns
    (world, revocation, replacement withdrawal, the replacing document, the valid document)."""
    from liuhen.documents import services
    from liuhen.documents.models import DocumentWithdrawal
    from liuhen.testing.world import World

    world = World()
    _verifies()  # as the verified_world fixture had it
    revoked = issued(world)
    revocation = services.revoke_document(world.agency_head, revoked, "经行政复议决定撤销")
    first = issued(world)
    later_version(world, first.record)
    second = services.issue_document(world.unit_head, first.record, reason="更正笔误")
    replacement = DocumentWithdrawal.objects.get(document=first)
    valid = issued(world)
    _verifies()
    return world, revocation, replacement, second, valid


def verify_page_scene(where=None):
    """A world and a complete 询问笔录 issued, integrated into a signed checkpoint: what the public
    verification page's tests start from (built once per run, liuhen.testing.demo.scene_snapshot).
    Returns (world, document)."""
    from liuhen.ledger.storage import integrate_all
    from liuhen.testing.world import World

    world = World()
    doc = issued(world)
    integrate_all()  # the issue is in a signed checkpoint
    return world, doc
