"""The oversight pages' test helpers: people the shared world lacks (a 监督人员, an 档案管理员), and
findings and clocks written as the findings engine writes them (a Finding with its "opened"
FindingEvent; its deletion with a "resolved" one; a Clock), so that the pages can be tested on rows
of known content whatever the engine finds on its own."""
import datetime

from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role

TEST_CODE = "oversight.T901"
OTHER_CODE = "oversight.T902"


def supervisor(world, username="jiandu"):
    from liuhen.accounts.models import User

    return User.objects.filter(username=username).first() or acc.create_user(
        None, username=username, full_name="监督员", password=world.PASSWORD, agency=world.agency,
        roles=[Role.SUPERVISOR])


def archivist(world):
    from liuhen.testing.cases import archivist as make

    return make(world)


def person(world, username, roles, unit=None, full_name="测试人员"):
    return acc.create_user(None, username=username, full_name=full_name, password=world.PASSWORD,
                           agency=world.agency, unit=unit, roles=roles)


def open_finding(case, *, code=TEST_CODE, key=None, severity="error", officer=None, at=None, stage="",
                 message="缺少应当制作的记录", article="LQ 20", fix="补充制作并签字"):
    """A finding opened on `case` at `at` (default now): the Finding row and its FindingEvent."""
    from liuhen.oversight.finding_models import Finding, FindingEvent

    at = at or timezone.now()
    # "test-N": never the key the engine gives a finding of the same case (code:record id, …), which
    # a re-check on commit may already have stored.
    key = key or f"{code}:test-{FindingEvent.objects.count() + 1}"
    common = dict(case=case, agency_id=case.agency_id, unit_id=case.unit_id, key=key, code=code, severity=severity,
                  stage=stage or case.stage, article=article, message=message, fix=fix, officer=officer)
    finding = Finding.objects.create(opened_at=at, **common)
    event = FindingEvent.objects.create(event="opened", at=at, **common)
    return finding, event


def resolve_finding(finding, at=None):
    from liuhen.oversight.finding_models import FindingEvent

    at = at or timezone.now()
    FindingEvent.objects.create(case=finding.case, agency_id=finding.agency_id, unit_id=finding.unit_id,
                                event="resolved", key=finding.key, code=finding.code, severity=finding.severity,
                                stage=finding.stage, article=finding.article, message=finding.message,
                                fix=finding.fix, officer=finding.officer, at=at)
    finding.delete()


def clock(case, *, deadline="service", key=None, due_in=None, due_at=None, met_at=None, started_at=None,
          label="决定书送达", article="行政处罚法 61", unknown=False):
    """A deadline clock of `case`: due `due_in` (a timedelta) from now, or at `due_at`; unknown: no due time."""
    from liuhen.oversight.clocks import status_of
    from liuhen.oversight.finding_models import Clock

    now = timezone.now()
    if not unknown and due_at is None:
        due_at = now + (due_in if due_in is not None else datetime.timedelta(days=2))
    if unknown:
        due_at = None
    started_at = started_at or now - datetime.timedelta(days=1)
    return Clock.objects.create(case=case, agency_id=case.agency_id, unit_id=case.unit_id,
                                key=key or f"test:{deadline}:{Clock.objects.count() + 1}", deadline=deadline,
                                label=label, article=article, period="7日", started_at=started_at, due_at=due_at,
                                met_at=met_at, status=status_of(due_at, met_at, now))
