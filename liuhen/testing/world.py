"""A small agency with one person per role, and cases taken through their stages the real way —
through the services, each record given the signatures its rule asks for."""
import datetime

from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role
from liuhen.cases import services as cases
from liuhen.cases.models import Stage

PERSON_ID = "11010519491231002X"  # a citizen ID number whose check digit is X (GB 11643)
CREDIT_CODE = "91350100M000100Y43"  # a 统一社会信用代码 with a valid check character (GB 32100)
TODAY = timezone.localdate()


class World:
    """An agency, two units and one person per role; officers hold valid certificates."""

    PASSWORD = "Liuhen-test-2026"

    def __init__(self):
        self.agency = acc.create_agency(None, name="测试市水务局", short_name="测水")
        self.unit = acc.create_unit(None, self.agency, name="水政监察大队")
        self.other_unit = acc.create_unit(None, self.agency, name="水资源科")
        today = timezone.localdate()
        n = 0

        def person(username, full_name, roles, unit=None, cert=True, cert_until=None):
            nonlocal n
            user = acc.create_user(None, username=username, full_name=full_name, password=self.PASSWORD,
                                   agency=self.agency, unit=unit, roles=roles)
            if cert:
                n += 1
                acc.issue_certificate(None, user, number=f"1401{n:06d}", valid_from=today - datetime.timedelta(days=365),
                                      valid_until=cert_until or today + datetime.timedelta(days=365))
            return user

        self.officer = person("zhang", "张明", [Role.OFFICER], self.unit)
        self.officer2 = person("li", "李强", [Role.OFFICER], self.unit)
        self.officer3 = person("wang", "王芳", [Role.OFFICER], self.unit)
        self.expired = person("zhao", "赵刚", [Role.OFFICER], self.unit, cert_until=today - datetime.timedelta(days=1))
        self.outsider = person("sun", "孙丽", [Role.OFFICER], self.other_unit)
        self.unit_head = person("chen", "陈队长", [Role.UNIT_HEAD], self.unit, cert=False)
        self.agency_head = person("liu", "刘局长", [Role.AGENCY_HEAD], None, cert=False)
        self.reviewer = person("fa", "法制审核员", [Role.LEGAL_REVIEWER], None, cert=False)
        self.sysadmin = person("sys", "系统管理员", [Role.SYSTEM_ADMIN], None, cert=False)

    def open_case(self, officer=None, **kw):
        officer = officer or self.officer
        args = dict(title="未经许可取水", kind="penalty", procedure="general", start_mode="ex_officio",
                    on_site=True, officers=[self.officer2])
        args.update(kw)
        return cases.open_case(officer, **args)

    def to_investigation(self, case, officer=None):
        """Take a case from 程序启动 to 调查取证 the real way: a party (unless it is an inspection or
        already has one), a 程序启动审批表 signed by the lead officer and approved by the unit head,
        then advance. Returns the case as it is now."""
        from liuhen.records import services as records
        from liuhen.records.models import RecordType

        officer = officer or case.officers.get(is_lead=True).officer
        if case.kind != "inspection" and not case.parties.exists():
            cases.add_party(officer, case, kind="person", name="王建国", id_number="11010519491231002X")
        approval = records.create_record(officer, case, RecordType.objects.get(code="start_approval"), {
            "reason": "日常巡查发现违法嫌疑。", "party": "王建国", "handler_opinion": "建议立案调查。"})
        records.sign_as_officer(officer, approval)
        records.sign_as_leader(self.unit_head, approval)
        return cases.advance(officer, case, "审批完成")


def fill(record_type) -> dict:
    """Valid content for every field of a record type."""
    values = {"text": "测试", "textarea": "测试内容", "date": TODAY.isoformat(),
              "datetime": f"{TODAY.isoformat()}T10:00", "integer": "1", "bool": True}
    return {spec["name"]: (spec["choices"][0] if spec["type"] == "choice" else values[spec["type"]])
            for spec in record_type.fields}


def archivist(world):
    """The agency's 档案管理员 (the shared world has none), who signs the 归档登记表."""
    from liuhen.accounts.models import User

    found = User.objects.filter(username="dangan").first()
    return found or acc.create_user(None, username="dangan", full_name="档案员", password=world.PASSWORD,
                                    agency=world.agency, roles=[Role.ARCHIVIST])


def complete(world, case, code, *, officers=None, party="王五", leader=None):
    """Create a record of type `code` in the current stage and give it every signature it needs."""
    from liuhen.records import services as rec
    from liuhen.records.models import RecordType, SignerRole

    officers = officers or [world.officer, world.officer2]
    rt = RecordType.objects.get(code=code)
    record = rec.create_record(officers[0], case, rt, fill(rt))
    rule = rt.signature_rule
    for officer in officers[: rule.get("officers", 0)]:
        rec.sign_as_officer(officer, record)
    if rule.get("party"):
        rec.record_other_signature(officers[0], record, role=SignerRole.PARTY, signer_name=party)
    if rule.get("leader"):
        rec.sign_as_leader(leader or world.unit_head, record)
    if rule.get("archivist"):
        rec.sign_in_capacity(archivist(world), record, SignerRole.ARCHIVIST)
    return record


def add_person(world, case, actor=None, **kw):
    args = dict(kind="person", name="王五", id_number=PERSON_ID, phone="13812345678", address="本溪市平山区1号")
    args.update(kw)
    return cases.add_party(actor or world.officer, case, **args)


def to_investigation(world, case=None):
    case = case or world.open_case()
    add_person(world, case)
    complete(world, case, "start_approval")
    return cases.advance(world.officer, case)


def to_decision(world, case=None):
    case = to_investigation(world, case)
    complete(world, case, "rights_notice")
    complete(world, case, "inquiry_record")
    return cases.advance(world.officer, case, note="调查终结")


def to_archive_stage(world):
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
    case = to_archive_stage(world)
    complete(world, case, "closing_report")
    complete(world, case, "archive_register")
    return cases.advance(world.officer, case, note="归档")


