"""The push to the supervision platform (issue 21 §1) against a real HTTP server on loopback
(http.server in a thread): a batch acknowledged by a 200; the next one answered 500 then 200 — sent
again, the same bytes, after a backoff; a platform that is down — the batch kept and delivered by a
later run, nothing lost; a 4xx not retried; every batch and attempt in the ledger; `liuhen api push`
and the django-tasks task; the log verifies clean and a tampered attempt is found."""
import hashlib
import json

import pytest

from liuhen.exchange import push
from liuhen.exchange import vocabulary as v
from liuhen.exchange.models import PushAttempt, PushBatch
from liuhen.ledger.models import Entry
from liuhen.testing.commands import run_command
from liuhen.testing.push_platform import closed_port_url, platform


def events(action):
    return [json.loads(bytes(e.leaf)) for e in Entry.objects.filter(action=action).order_by("pk")]


@pytest.fixture
def configured(settings):
    settings.LIUHEN_PUSH_TOKEN = "platform-secret"
    settings.LIUHEN_PUSH_RETRIES = 3
    settings.LIUHEN_PUSH_BACKOFF_SECONDS = 0.5
    settings.LIUHEN_PUSH_SETTLE_SECONDS = 0  # the test's changes are committed at once
    return settings


def test_200_then_500_and_200_the_same_bytes_sent_again_after_a_backoff(world, configured):
    first_case = world.open_case()
    waits = []
    with platform(200, 500, 200) as server:
        configured.LIUHEN_PUSH_URL = server.url
        [outcome] = push.push_all(sleep=waits.append)
        assert outcome.acknowledged == [PushBatch.objects.get().pk] and outcome.waiting is None
        second_case = world.open_case()
        [outcome] = push.push_all(sleep=waits.append)
        [nothing] = push.push_all(sleep=waits.append)  # nothing changed since: nothing sent
    assert waits == [0.5] and nothing.acknowledged == [] and len(server.received) == 3
    one, two = PushBatch.objects.order_by("pk")
    assert outcome.acknowledged == [two.pk]
    assert [(a.batch_id, a.n, a.status, a.acknowledged) for a in PushAttempt.objects.order_by("pk")] == [
        (one.pk, 1, 200, True), (two.pk, 1, 500, False), (two.pk, 2, 200, True)]
    (h1, b1), (h2, b2), (h3, b3) = server.received
    assert b2 == b3 and h2["Idempotency-Key"] == h3["Idempotency-Key"] == two.payload_sha256
    assert hashlib.sha256(b1).hexdigest() == one.payload_sha256 == h1["X-Content-SHA256"]
    assert h1["Authorization"] == "Bearer platform-secret" and h1["Content-Type"].startswith("application/json")
    sent1, sent2 = json.loads(b1), json.loads(b2)
    assert [c["number"] for c in sent1["cases"]] == [first_case.number] and sent1["since"] is None
    # The second batch: the changes since the first one's end: the new case only.
    assert [c["number"] for c in sent2["cases"]] == [second_case.number]
    assert sent2["since"] == one.until.isoformat() == sent1["until"]
    assert sent1["agency"]["name"] == world.agency.name and str(one.until.year) in sent1["statistics"]
    assert "王建国" not in b1.decode() and "身份证" not in b1.decode()
    assert [e["detail"]["sha256"] for e in events(v.PUSH_BATCH)] == [one.payload_sha256, two.payload_sha256]
    assert [(e["detail"]["status"], e["detail"]["acknowledged"]) for e in events(v.PUSH_ATTEMPT)] == [
        (200, True), (500, False), (200, True)]


def test_a_platform_down_keeps_the_batch_until_a_later_run_delivers_it(world, configured):
    world.open_case()
    configured.LIUHEN_PUSH_URL = closed_port_url()
    configured.LIUHEN_PUSH_BACKOFF_SECONDS = 0.01
    down = run_command("api", "push")
    assert down.code == 1 and "未被接收" in down.err and "无应答" in down.out
    batch = PushBatch.objects.get()
    attempts = list(batch.attempts.order_by("n"))
    assert [(a.n, a.status, a.acknowledged) for a in attempts] == [(1, None, False), (2, None, False),
                                                                   (3, None, False), (4, None, False)]
    assert attempts[0].answer.startswith("无应答") and push.pending(world.agency) == batch
    with platform(200) as server:
        configured.LIUHEN_PUSH_URL = server.url
        up = run_command("api", "push", "--json")
    assert up.code == 0, up.err
    assert up.report["pushes"] == [{"agency": world.agency.name, "acknowledged": [batch.pk], "waiting": None,
                                    "problem": ""}]
    [(headers, body)] = server.received
    assert hashlib.sha256(body).hexdigest() == batch.payload_sha256 and PushBatch.objects.count() == 1
    assert push.pending(world.agency) is None and len(events(v.PUSH_ATTEMPT)) == 5


def test_a_4xx_is_not_retried_and_the_batch_waits(world, configured):
    with platform(401) as server:
        configured.LIUHEN_PUSH_URL = server.url
        [outcome] = push.push_all(sleep=lambda s: pytest.fail("a 4xx is not retried"))
    assert len(server.received) == 1 and outcome.waiting == PushBatch.objects.get().pk
    assert "HTTP 401" in outcome.problem and PushAttempt.objects.get().status == 401


def test_the_task_pushes_and_an_unconfigured_url_is_refused(world, configured):
    settings = configured
    from liuhen.exchange.tasks import push_to_platform

    settings.LIUHEN_PUSH_URL = ""
    bad = run_command("api", "push")
    assert bad.code == 2 and "LIUHEN_PUSH_URL" in bad.err and not PushBatch.objects.exists()
    with platform(200) as server:
        settings.LIUHEN_PUSH_URL = server.url
        result = push_to_platform.enqueue()
    assert result.return_value == [{"agency": world.agency.name, "acknowledged": [PushBatch.objects.get().pk],
                                    "waiting": None, "problem": ""}]
    assert len(server.received) == 1


def test_pushes_verify_clean_and_an_attempt_turned_into_an_acknowledgement_is_found(verified_world, configured):
    settings = configured
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log
    from liuhen.testing.tampering import drop_append_only, found, sql

    settings.LIUHEN_PUSH_RETRIES = 0
    with platform(503) as server:
        settings.LIUHEN_PUSH_URL = server.url
        push.push_all()
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    attempt = PushAttempt.objects.get()
    drop_append_only(PushAttempt._meta.db_table)
    sql("UPDATE exchange_pushattempt SET status = 200, acknowledged = %s WHERE id = %s", [True, attempt.pk])
    assert found(verify_log(), "altered", f"push_attempt:{attempt.pk}").code == v.E013
