"""A decision that ends after a batch carried it (issue 21 §1; 行政处罚法 48, 75): its 文号 voided, the
decision revoked or replaced — the next batch carries it again with its new status, when and why, so
that the platform stops publishing a dead decision; the batch already sent keeps its bytes and the log
verifies clean. A 双公示 record withdrawn after it was pushed is sent again with its 状态 (the push has
covered that since it was built: an entry with a step in the window). Against a real HTTP server."""
import hashlib
import json

import pytest
from django.utils import timezone

from liuhen.documents.numbers import void_number
from liuhen.documents.selectors import REASON_WITHHELD
from liuhen.exchange import push
from liuhen.exchange.models import PushBatch
from liuhen.testing.publicity import issued_decision, published_decision, replaced_decision, revoked
from liuhen.testing.push_platform import platform


@pytest.fixture
def configured(settings):
    settings.LIUHEN_PUSH_TOKEN = ""
    settings.LIUHEN_PUSH_RETRIES = 0
    settings.LIUHEN_PUSH_SETTLE_SECONDS = 0  # the test's changes are committed at once
    return settings


def pushed(settings) -> list[dict]:
    """One run of the push against a platform that accepts: the bodies it received."""
    with platform(200) as server:
        settings.LIUHEN_PUSH_URL = server.url
        outcomes = push.push_all(sleep=lambda s: None)
    assert all(o.acknowledged and not o.problem for o in outcomes), outcomes
    return [json.loads(body) for _, body in server.received]


def test_a_decision_voided_after_its_batch_is_sent_again_marked_voided(verified_world, configured, client):
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log

    world = verified_world
    case, doc = issued_decision(world)
    [first] = pushed(configured)
    [sent] = first["decisions"]
    assert (sent["number"], sent["status"], sent["status_at"], sent["status_reason"]) == (
        doc.number.text, "valid", None, "")
    one = PushBatch.objects.get()
    kept = one.payload
    party = case.parties.values_list("name", flat=True).first()
    void = void_number(world.agency_head, doc.number, f"文号编制错误（{party}的决定书误用此号），本决定书作废")
    [second] = pushed(configured)
    [again] = second["decisions"]
    assert again["number"] == doc.number.text and again["case_number"] == case.number
    assert again["status"] == "voided" and again["status_at"] == timezone.localtime(void.voided_at).isoformat()
    assert again["status_reason"] == REASON_WITHHELD and party not in json.dumps(second, ensure_ascii=False)
    assert second["since"] == first["until"] and second["cases"] == []
    # The first batch is what was sent then: its bytes unchanged, its digest still theirs.
    one.refresh_from_db()
    assert one.payload == kept and hashlib.sha256(kept.encode()).hexdigest() == one.payload_sha256
    assert json.loads(kept)["decisions"][0]["status"] == "valid"
    # Nothing changed since: nothing sent.
    with platform(200) as server:
        configured.LIUHEN_PUSH_URL = server.url
        push.push_all(sleep=lambda s: None)
    assert server.received == [] and PushBatch.objects.count() == 2
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]


def test_a_revoked_and_a_replaced_decision_are_sent_again_with_why(world, configured):
    case1, doc1 = issued_decision(world)
    case2, doc2 = issued_decision(world)
    [first] = pushed(configured)
    assert sorted(d["status"] for d in first["decisions"]) == ["valid", "valid"]
    revoked(world, doc1, reason="经行政复议，原决定被撤销")
    new = replaced_decision(world, doc2, reason="原决定书认定的罚款数额有误，重新作出决定")
    [second] = pushed(configured)
    by_number = {d["number"]: d for d in second["decisions"]}
    assert set(by_number) == {doc1.number.text, doc2.number.text, new.number.text}
    assert (by_number[doc1.number.text]["status"], by_number[doc1.number.text]["status_reason"]) == (
        "revoked", "经行政复议，原决定被撤销")
    old = by_number[doc2.number.text]
    assert (old["status"], old["replaced_by"], old["status_reason"]) == (
        "replaced", new.number.text, "原决定书认定的罚款数额有误，重新作出决定")
    assert old["status_at"] and by_number[new.number.text]["status"] == "valid"


def test_a_publicity_record_withdrawn_after_it_was_pushed_is_sent_again_withdrawn(world, configured):
    from liuhen.publicity import services as publicity

    case, entry, _ = published_decision(world)
    [first] = pushed(configured)
    assert [(r["公示编号"], r["状态"]) for r in first["publicity"]] == [(entry.number, "公示中")]
    publicity.withdraw(world.agency_head, entry, "该处罚决定经行政复议被撤销")
    [second] = pushed(configured)
    [row] = second["publicity"]
    assert (row["公示编号"], row["状态"]) == (entry.number, "已撤回") and "经行政复议被撤销" in row["备注"]


def test_the_api_reads_a_decision_voided_since(world, configured, client):
    from liuhen.exchange import services
    from liuhen.exchange import vocabulary as v

    _, doc = issued_decision(world)
    _, token = services.add_client(None, agency=world.agency, name="省平台", scopes=[v.DECISIONS_READ], days=5)
    [first] = pushed(configured)
    since = {"since": first["until"]}
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/decisions", since, **auth).json()["count"] == 0
    void_number(world.agency_head, doc.number, "文号重复")
    [item] = client.get("/api/v1/decisions", since, **auth).json()["items"]
    assert (item["number"], item["status"], item["status_reason"]) == (doc.number.text, "voided", "文号重复")
