"""The whole 公示 workflow against the log, and the races the row locks decide. Every test here reaches the
database, so `make test`'s second pass runs it on PostgreSQL (scripts/with-postgres.sh … --db-only), where
select_for_update really locks: two drafts of one case, two approvals of one version, two new entries
wanting the same number."""
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.publicity import selectors as s
from liuhen.publicity import services
from liuhen.publicity.models import Entry, Step, StepKind, Version
from liuhen.testing.publicity import (ALL_CHECKS, FACTS_WITH_PEOPLE, issued_decision, publish, published_content,
                                      published_decision, replaced_decision, reviewed, revoked)


def test_liuhen_verify_stays_clean_after_every_act(verified_world):
    world = verified_world
    case, doc = issued_decision(world, facts=FACTS_WITH_PEOPLE, witness="李四")
    first = services.draft_decision(world.officer, case)
    services.review(world.reviewer, first, passed=False, opinion="证人姓名未隐去")
    second = services.draft_decision(world.officer, case)  # after a return, a new draft
    third = services.add_redaction(world.officer, second, "胜利路12号3单元501室", "address")
    publish(world, third)
    entry = third.entry
    comment = services.comment(entry, kind="objection", text="处罚过重", name="王五", contact="13812345678")
    services.reply(world.officer, comment, "已转法制机构复核。")
    fixed = services.revise(world.officer, entry, reason="更正违法行为类型",
                            summary={**third.summary, "违法行为类型": "擅自倾倒建筑垃圾"})
    publish(world, fixed)
    new = replaced_decision(world, doc)
    services.withdraw(world.agency_head, entry, "原行政处罚决定已变更")
    publish(world, services.draft_decision(world.officer, case, document=new))
    other, other_entry, other_version = published_decision(world)
    revoked(world, other_version.document)
    services.withdraw(world.agency_head, other_entry, "经行政复议，原行政处罚决定被撤销")
    exempted, _doc = issued_decision(world)
    services.exempt(world.agency_head, exempted, "trade_secret", "载有生产工艺")
    matter = published_content(world)
    services.remove_early(world.agency_head, matter.entry, "该事项已取消")
    services.draft_content(world.officer, "statistics", title="2025年度行政执法数据", year=2025)
    assert s.status(entry) == s.LIVE and s.live_version(entry).document == new
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]


def _racing(n, fn):
    """Run fn(i) in `n` threads started together; each result or the refusal's code."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def go(i):
        try:
            barrier.wait()
            fn(i)
            results[i] = "ok"
        except ValidationError as exc:
            results[i] = exc.error_list[0].code
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(results)


needs_threads = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="the row locks are PostgreSQL's (SQLite has one writer at a time)")


@needs_threads
@pytest.mark.django_db(transaction=True)
def test_two_drafts_of_one_case_at_once_one_wins(world):
    case, _doc = issued_decision(world)
    who = (world.officer, world.officer2)
    assert _racing(2, lambda i: services.draft_decision(who[i], case)) == ["ok", "open_draft"]
    assert Entry.objects.filter(case=case).count() == 1 and Version.objects.filter(entry__case=case).count() == 1


@needs_threads
@pytest.mark.django_db(transaction=True)
def test_two_approvals_of_one_version_at_once_publish_it_once(world):
    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role

    deputy = acc.create_user(None, username="deputy", full_name="周副局长", password=world.PASSWORD, agency=world.agency,
                             roles=[Role.AGENCY_HEAD])
    case, _doc = issued_decision(world)
    version = reviewed(world, services.draft_decision(world.officer, case))
    heads = (world.agency_head, deputy)
    assert _racing(2, lambda i: services.approve(heads[i], version, passed=True)) == ["not_current", "ok"]
    assert Step.objects.filter(version=version, kind=StepKind.PUBLISH).count() == 1


@needs_threads
@pytest.mark.django_db(transaction=True)
def test_new_entries_at_once_get_numbers_of_their_own(world):
    _racing(4, lambda i: services.draft_content(world.officer, "matter", title=f"事项{i}"))
    numbers = list(Entry.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) >= 1  # a loser of the race retries (three times) or is told to retry


def test_review_checks_are_stored_as_given(world):
    case, _doc = issued_decision(world)
    version = services.draft_decision(world.officer, case)
    step = services.review(world.reviewer, version, passed=True, checks={**ALL_CHECKS, "extra": True})
    assert step.checks == ALL_CHECKS  # only the LW-P 9 items, each true
