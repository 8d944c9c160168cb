"""The push to the supervision platform (推送): for each agency, what changed since its last
acknowledged batch — cases opened, moved or archived, 决定书 issued, 双公示 records published or
ended, 决定书 voided, revoked or replaced since a batch carried them — with the year's figures, POSTed as
one JSON body to the agency's target (targets.py: LIUHEN_PUSH_TARGETS, else LIUHEN_PUSH_URL with the
bearer LIUHEN_PUSH_TOKEN).

Nothing is lost: batches cover consecutive windows [since, until) of the changes' times, each from the
previous one's end, and `until` lags the clock by LIUHEN_PUSH_SETTLE_SECONDS (a change stamped before
its transaction commits is read by the batch whose window holds it, not missed by one made in
between). A batch is kept (append-only, its exact bytes and their SHA-256) before it is sent, and sent
again — the same bytes, the same `Idempotency-Key` — until a 2xx acknowledges it; only then is the next
batch made. A 5xx, a 429 or no answer is retried at once with a doubling wait (LIUHEN_PUSH_RETRIES, _BACKOFF_SECONDS); any
other 4xx is not (the same bytes would be refused again: the configuration is wrong) — the batch waits
for the next run. Every batch and every attempt is a ledger event (exchange.push_batch, .push_attempt)."""
import dataclasses
import datetime
import hashlib
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from liuhen.accounts.models import Agency
from liuhen.ledger import services as ledger
from liuhen.publicity import export as publicity_export
from liuhen.publicity import statistics
from liuhen.publicity.models import Entry, EntryKind

from . import selectors, targets
from . import vocabulary as v
from .models import PushAttempt, PushBatch

SCHEMA = "liuhen.push/1"
ANSWER_CHARS = 2000
CHANGES = ("cases", "decisions", "publicity")


@dataclasses.dataclass
class Outcome:
    """One agency's push: the batches acknowledged in this run, the one left waiting (or None) and why."""

    agency: str
    acknowledged: list[int] = dataclasses.field(default_factory=list)
    waiting: int | None = None
    problem: str = ""

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def pending(agency) -> PushBatch | None:
    """The agency's batch not yet acknowledged (at most one: the next is made after it is)."""
    return PushBatch.objects.filter(agency=agency).exclude(attempts__acknowledged=True).order_by("pk").first()


def _last_acknowledged(agency) -> PushBatch | None:
    return PushBatch.objects.filter(agency=agency, attempts__acknowledged=True).order_by("-pk").first()


def _publicity_rows(agency, since: datetime.datetime | None, until: datetime.datetime) -> list[dict]:
    """The 双公示 rows of the decision entries with a step (published, withdrawn, removed…) in
    [since, until), with their 状态 — a withdrawn record must leave the platform too."""
    steps = {"versions__steps__at__lt": until} | ({"versions__steps__at__gte": since} if since else {})
    changed = set(Entry.objects.filter(agency=agency, kind=EntryKind.DECISION, **steps)
                  .values_list("number", flat=True))
    return [r for r in publicity_export.rows(agency, include_ended=True) if r["公示编号"] in changed]


def payload(agency, since: datetime.datetime | None, until: datetime.datetime) -> dict:
    """What the platform receives about `agency` (the fields of exchange.api's CaseOut, DecisionOut and the
    双公示 columns): the changes in [since, until) (since None: everything before until) and the
    figures of until's year as they are now."""
    year = timezone.localdate(until).year
    return {
        "schema": SCHEMA,
        "agency": {"name": agency.name, "credit_code": agency.credit_code},
        "since": since.isoformat() if since else None,
        "until": until.isoformat(),
        "cases": selectors.case_rows(selectors.cases(agency, since, until)),
        "decisions": selectors.decision_rows(selectors.decisions(agency, since, until)),
        "publicity": _publicity_rows(agency, since, until),
        "statistics": {str(year): statistics.annual(agency, year)},
    }


def make_batch(agency, now: datetime.datetime | None = None) -> PushBatch | None:
    """The next batch of `agency`, kept and in the ledger — None when nothing changed since the last
    acknowledged one (the figures alone are not pushed again). Made under a lock of the agency's row
    (PostgreSQL): a second run at the same time (the timer and the task) finds this batch waiting
    instead of making a twin."""
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        waiting = pending(agency)
        if waiting is not None:
            return waiting
        last = _last_acknowledged(agency)
        since = last.until if last else None
        until = (now or timezone.now()) - datetime.timedelta(seconds=settings.LIUHEN_PUSH_SETTLE_SECONDS)
        if since is not None and until <= since:
            return None
        data = payload(agency, since, until)
        if last is not None and not any(data[k] for k in CHANGES):
            return None
        body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
        counts = {k: len(data[k]) for k in CHANGES}
        batch = PushBatch.objects.create(agency=agency, since=since, until=until, payload=body, counts=counts,
                                         payload_sha256=hashlib.sha256(body.encode("utf-8")).hexdigest())
        batch = PushBatch.objects.get(pk=batch.pk)
        ledger.append_row(v.PUSH_BATCH, None, batch, agency=agency.pk, sha256=batch.payload_sha256, **counts)
    return batch


def _post(url: str, body: bytes, headers: dict, timeout: float) -> tuple[int | None, str]:
    """(HTTP status, the start of the answer) — (None, the reason) when the platform did not answer."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 (the configured URL)
            return answer.status, answer.read(ANSWER_CHARS).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(ANSWER_CHARS).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        return None, f"无应答：{getattr(exc, 'reason', exc)}"[:ANSWER_CHARS]


def send(batch: PushBatch, url: str, token: str = "") -> PushAttempt:
    """Send `batch` once; the attempt and the platform's answer kept and in the ledger."""
    body = batch.payload.encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": batch.payload_sha256,
               "X-Liuhen-Batch": str(batch.pk), "X-Content-SHA256": batch.payload_sha256}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    status, answer = _post(url, body, headers, settings.LIUHEN_PUSH_TIMEOUT_SECONDS)
    with transaction.atomic():
        attempt = PushAttempt.objects.create(batch=batch, n=batch.attempts.count() + 1, url=url[:500], status=status,
                                             acknowledged=status is not None and 200 <= status < 300,
                                             answer=answer.replace("\x00", ""))
        attempt = PushAttempt.objects.get(pk=attempt.pk)
        ledger.append_row(v.PUSH_ATTEMPT, None, attempt, batch=batch.pk, n=attempt.n, status=status,
                          acknowledged=attempt.acknowledged, sha256=batch.payload_sha256)
    return attempt


def retryable(status: int | None) -> bool:
    """No answer, the platform's own error (5xx) or its rate limit (429): worth sending again."""
    return status is None or status >= 500 or status == 429


def _deliver(batch: PushBatch, url: str, token: str, sleep) -> PushAttempt:
    """Send until acknowledged, a 4xx, or LIUHEN_PUSH_RETRIES retries with doubling waits."""
    attempt = send(batch, url, token)
    for i in range(settings.LIUHEN_PUSH_RETRIES):
        if attempt.acknowledged or not retryable(attempt.status):
            break
        sleep(settings.LIUHEN_PUSH_BACKOFF_SECONDS * 2**i)
        attempt = send(batch, url, token)
    return attempt


def push_agency(agency, *, url: str, token: str = "", sleep=time.sleep) -> Outcome:
    """Deliver the agency's waiting batch, then (once it is acknowledged) a new one of the changes
    since — at most two a run: under steady activity a timer's next run takes the rest."""
    outcome = Outcome(agency=agency.name)
    for batch_of in (pending, make_batch):
        batch = batch_of(agency)
        if batch is None:
            continue
        attempt = _deliver(batch, url, token, sleep)
        if not attempt.acknowledged:
            outcome.waiting = batch.pk
            outcome.problem = (f"批次 {batch.pk} 第 {attempt.n} 次推送未被接收：" +
                               (f"HTTP {attempt.status}" if attempt.status else attempt.answer))
            return outcome
        outcome.acknowledged.append(batch.pk)
    return outcome


NO_TARGET = "未配置推送地址（不在 LIUHEN_PUSH_TARGETS 中，也未设置 LIUHEN_PUSH_URL），未推送"


def push_all(agency=None, sleep=time.sleep) -> list[Outcome]:
    """`liuhen api push` and the task: every agency (or one) to its target (targets.py). Nothing is sent
    while the configuration has a problem (ImproperlyConfigured, naming them all); an agency with no
    target is left out with a NO_TARGET outcome — an error when it was the one named."""
    configured = targets.load()
    if configured.problems:
        raise ImproperlyConfigured("推送配置有误：" + "；".join(p.message for p in configured.problems) + "。")
    if not settings.LIUHEN_PUSH_URL and not configured.by_agency:
        raise ImproperlyConfigured("未配置推送地址（LIUHEN_PUSH_URL 或 LIUHEN_PUSH_TARGETS）。")
    agencies = [agency] if agency is not None else list(Agency.objects.order_by("pk"))
    outcomes = []
    for a in agencies:
        target = configured.for_agency(a)
        if target is None and agency is not None:
            raise ImproperlyConfigured(f"{a.name}：{NO_TARGET}。")
        if target is None:
            outcomes.append(Outcome(agency=a.name, problem=NO_TARGET))
            continue
        url, token = target
        outcomes.append(push_agency(a, url=url, token=token, sleep=sleep))
    return outcomes
