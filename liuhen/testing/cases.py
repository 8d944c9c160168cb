"""Builders for the cases tests: records made complete the real way, parties, an archivist, and
the database-superuser tools of the tamper tests."""
from django.utils import timezone

from liuhen.testing.tampering import drop_append_only, sql  # noqa: F401 — shared with the ledger tests

PERSON_ID = "11010519491231002X"  # GB 11643's example number
OTHER_PERSON_ID = "440524188001010014"  # GB 11643's other example: born in 1880
CREDIT_CODE = "91350100M000100Y43"  # a 统一社会信用代码 with a valid check character (GB 32100)


def _past_moment_today() -> str:
    """Today at 10:00 local — or, before 10:00 (the suite runs at any hour: 16:00-02:00 UTC is before
    10:00 in Shanghai), the last minute already begun: a time written in a record is never in the
    future (a 送达回证 served at a time to come does not count as served)."""
    now = timezone.localtime()
    moment = min(now.replace(hour=10, minute=0, second=0, microsecond=0), now.replace(second=0, microsecond=0))
    return moment.strftime("%Y-%m-%dT%H:%M")


def fill(record_type) -> dict:
    """Valid content for every field of a record type (but a typed 文号, which must name a real
    document: a 送达回证's is checked against the case's, liuhen.delivery)."""
    today = timezone.localdate()
    values = {"text": "测试", "textarea": "测试内容", "date": today.isoformat(),
              "datetime": _past_moment_today(), "integer": "1", "bool": True}
    return {spec["name"]: (spec["choices"][0] if spec["type"] == "choice" else values[spec["type"]])
            for spec in record_type.fields if spec["name"] != "doc_number"}


def archivist(world):
    """The agency's 档案管理员 (the shared world has none), who signs the 归档登记表."""
    from liuhen.accounts import services as acc
    from liuhen.accounts.models import User
    from liuhen.accounts.roles import Role

    found = User.objects.filter(username="dangan").first()
    return found or acc.create_user(None, username="dangan", full_name="档案员", password=world.PASSWORD,
                                    agency=world.agency, roles=[Role.ARCHIVIST])


def make_record(world, case, code, *, by=None):
    from liuhen.records import services as rec
    from liuhen.records.models import RecordType

    rt = RecordType.objects.get(code=code)
    return rec.create_record(by or world.officer, case, rt, fill(rt))


def sign_all(world, record, *, officers=None, party="王五", leader=None, skip=()):
    """Give `record` every signature its rule in force asks for (liuhen.testing.signing), from the
    people of `world`, but the capacities in `skip`."""
    from liuhen.testing.signing import sign_as_rule_asks

    sign_as_rule_asks(record, officers=officers or [world.officer, world.officer2], party_name=party,
                      leader=leader, unit_head=world.unit_head, agency_head=world.agency_head,
                      reviewer=world.reviewer, archivist=lambda: archivist(world), skip=skip)
    return record


def complete(world, case, code, **kw):
    """Create a record of type `code` in the current stage and give it every signature it needs."""
    return sign_all(world, make_record(world, case, code), **kw)


def notify(world, case, penalty: dict, *, days_ago: int = 40):
    """A complete 行政处罚告知书 of `penalty` (penalty_kind, fine_amount…; the rest as fill() says, like a
    decision made with fill()) served `days_ago` days ago: by default long enough for the party's
    periods to have run (行政处罚法 44, 64: liuhen.rights)."""
    import datetime

    from liuhen.records import services as rec
    from liuhen.records.models import RecordType

    rt = RecordType.objects.get(code="penalty_notice")
    served = timezone.localtime(timezone.now() - datetime.timedelta(days=days_ago))
    content = {**fill(rt), **penalty, "notified_at": served.strftime("%Y-%m-%dT%H:%M")}
    return sign_all(world, rec.create_record(world.officer, case, rt, content))


def add_person(world, case, actor=None, **kw):
    from liuhen.cases import services as cases

    args = dict(kind="person", name="王五", id_number=PERSON_ID, phone="13812345678", address="本溪市平山区1号")
    args.update(kw)
    return cases.add_party(actor or world.officer, case, **args)


def integrate(django_capture_on_commit_callbacks=None):
    from liuhen.ledger import storage

    if django_capture_on_commit_callbacks is None:
        storage.integrate_all()
        return
    with django_capture_on_commit_callbacks(execute=True):
        storage.integrate_all()


def case_findings(report, case=None) -> list:
    prefix = f"case:{case.pk}" if case is not None else "case:"
    return [f for f in report.findings if f.object == prefix or f.object.startswith(prefix + " ")
            or (case is None and f.object.startswith(prefix))]


def to_investigation(world, case=None):
    from liuhen.cases import services as cases

    case = case or world.open_case()
    add_person(world, case)
    complete(world, case, "start_approval")
    return cases.advance(world.officer, case)


def to_decision(world, case=None):
    from liuhen.cases import services as cases

    case = to_investigation(world, case)
    complete(world, case, "rights_notice")
    complete(world, case, "inquiry_record")
    return cases.advance(world.officer, case, note="调查终结")


def to_archive_stage(world):
    from liuhen.cases import services as cases
    from liuhen.cases.models import Stage

    case = to_decision(world)
    complete(world, case, "handling_opinion")
    complete(world, case, "leader_approval")
    complete(world, case, "decision")
    case = cases.advance(world.officer, case)
    complete(world, case, "service_receipt")
    case = cases.advance(world.officer, case)
    assert case.stage == Stage.ARCHIVE and not case.is_archived
    return case


def to_archived(world):
    from liuhen.cases import services as cases

    case = to_archive_stage(world)
    complete(world, case, "closing_report")
    complete(world, case, "archive_register")
    return cases.advance(world.officer, case, note="归档")
