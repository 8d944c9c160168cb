"""`liuhen demo`: the demo data is complete, consistent with the rules, and loaded only once."""
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from liuhen.accounts.models import Agency, Certificate, User
from liuhen.accounts.roles import ADMIN_ROLES, Role
from liuhen.cases.models import STAGE_ORDER, Case, Party, PartyKind, Stage
from liuhen.cases.services import missing_requirements, transition_blockers
from liuhen.cases.validators import validate_credit_code, validate_id_number
from liuhen.demo.builder import DEMO_PASSWORD, build_demo, demo_logins
from liuhen.ledger.models import Entry
from liuhen.media import store
from liuhen.records.models import Attachment, Record, RecordVersion
from liuhen.records.selectors import states_for_case


FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The demo hashes one password per person; the production hasher would only slow the tests.
    settings.PASSWORD_HASHERS = FAST_HASHER


@pytest.fixture(scope="class")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the demo once for the whole class, inside a transaction rolled back afterwards."""
    blob_dir = tmp_path_factory.mktemp("demo") / "blobs"
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER, LIUHEN_BLOB_DIR=blob_dir):
        with transaction.atomic():
            summary = build_demo()
            yield summary, blob_dir
            transaction.set_rollback(True)


@pytest.fixture
def demo(demo_data, db, settings):
    summary, blob_dir = demo_data
    settings.LIUHEN_BLOB_DIR = blob_dir
    return summary


class TestDemoData:
    def test_summary_and_cases(self, demo):
        assert demo["cases"] == Case.objects.count() >= 18
        assert demo["users"] == User.objects.count()
        assert demo["archived"] == Case.objects.filter(archived_at__isnull=False).count() >= 3
        open_stages = set(Case.objects.filter(archived_at__isnull=True).values_list("stage", flat=True))
        assert open_stages == {str(s) for s in STAGE_ORDER}
        assert len(set(Case.objects.values_list("kind", flat=True))) >= 5
        assert set(Case.objects.values_list("procedure", flat=True)) == {"general", "simplified"}
        assert len(set(Case.objects.values_list("start_mode", flat=True))) >= 5


    def test_every_role_has_a_user_and_admins_are_separate(self, demo):
        for role in Role:
            assert User.objects.filter(groups__name=str(role)).exists(), role.label
        admins = [User.objects.get(groups__name=str(r)) for r in ADMIN_ROLES]
        assert len({a.pk for a in admins}) == 3
        for admin in admins:
            assert len(admin.role_codes()) == 1
        user = User.objects.get(username="zhangming")
        assert authenticate(username="zhangming", password=DEMO_PASSWORD) == user


    def test_certificates(self, demo):
        today = timezone.localdate()
        assert Certificate.objects.filter(valid_until__lt=today).exists()
        officers = User.objects.filter(groups__name=Role.OFFICER)
        assert any(not o.certificates.exists() for o in officers)
        # Officers without a valid certificate are on no case.
        for officer in officers:
            if officer.certificate_on(today) is None:
                assert not officer.case_assignments.exists()
        logins = {row[0]: row for row in demo_logins()}
        assert "执法证已过期" in logins["zhaogang"][2] and "无执法证" in logins["sunhao"][2]


    def test_archived_cases_are_complete(self, demo):
        archived = Case.objects.filter(archived_at__isnull=False)
        assert archived.exists()
        for case in archived:
            assert case.stage == Stage.ARCHIVE
            for stage in STAGE_ORDER:
                assert missing_requirements(case, stage) == [], (case.number, stage)
            assert case.transitions.last().to_stage == ""
            assert all(st.complete or st.voided for st in states_for_case(case))


    def test_cases_in_archive_stage_are_not_yet_archivable(self, demo):
        """归档管理 holds two cases, each waiting for what the archive stage requires."""
        waiting = {c.title: c for c in Case.objects.filter(stage=Stage.ARCHIVE, archived_at__isnull=True)}
        assert {t: missing_requirements(c) for t, c in waiting.items()} == {
            "孙宝山在太子河南芬段非法采砂": [("archive_register",), ("closing_report",)],
            "本溪市明山区鑫盛物流有限公司河道阻水障碍物代履行清除": [("archive_register",)],
        }
        for case in waiting.values():
            assert transition_blockers(case)
        awaits_leader = {st.record.record_type.code: st.missing
                         for st in states_for_case(waiting["孙宝山在太子河南芬段非法采砂"], Stage.ARCHIVE)}
        assert awaits_leader == {"closing_report": ["负责人签字"]}
        drafted = {st.record.record_type.code: st.missing for st in states_for_case(
            waiting["本溪市明山区鑫盛物流有限公司河道阻水障碍物代履行清除"], Stage.ARCHIVE)}
        assert drafted["closing_report"] == [] and "档案管理员签字" in drafted["archive_register"]


    def test_unfinished_situations(self, demo):
        states = [st for case in Case.objects.all() for st in states_for_case(case)]
        assert any(st.voided for st in states)
        assert any("当事人拒签须两名执法人员确认" in st.missing for st in states)
        assert any(st.locked and any(m.startswith("执法人员签字") for m in st.missing) for st in states)
        assert any(st.missing == ["负责人签字"] for st in states)
        revised = RecordVersion.objects.filter(number=2)
        assert revised.exists() and all(v.reason for v in revised)
        # A case sent back from 审查决定 to 调查取证.
        assert Case.objects.filter(stage=Stage.INVESTIGATION, transitions__from_stage=Stage.DECISION,
                                   transitions__to_stage=Stage.INVESTIGATION).exists()
        # A complete record of every stage exists somewhere.
        assert {st.record.stage for st in states if st.complete} == {str(s) for s in STAGE_ORDER}
        assert Record.objects.count() == demo["records"]


    def test_parties_have_valid_numbers(self, demo):
        parties = list(Party.objects.all())
        assert {p.kind for p in parties} == {PartyKind.PERSON, PartyKind.ORGANISATION}
        for party in parties:
            check = validate_id_number if party.kind == PartyKind.PERSON else validate_credit_code
            assert check(party.id_number) == party.id_number
        assert validate_credit_code(Agency.objects.get().credit_code)


    def test_attachments_are_real_files(self, demo):
        atts = list(Attachment.objects.all())
        assert demo["attachments"] == len(atts) >= 3
        kinds = set()
        for att in atts:
            assert store.verify(att.blob_id)
            with store.open_blob(att.blob_id) as fh:
                data = fh.read()
            if att.filename.endswith(".png"):
                assert data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")
                kinds.add("png")
            elif att.filename.endswith(".txt"):
                assert "现场情况说明" in data.decode("utf-8")
                kinds.add("txt")
        assert kinds == {"png", "txt"}


    def test_ledger_has_the_writes(self, demo):
        actions = set(Entry.objects.values_list("action", flat=True))
        assert {
            "accounts.user_create", "accounts.role_grant", "accounts.certificate_issue", "case.create",
            "case.party_add", "case.officer_assign", "case.transition", "record.create", "record.version",
            "record.attach", "record.sign", "record.refuse", "record.refusal_confirm", "record.void",
        } <= actions
        assert Entry.objects.filter(action="record.create").count() == Record.objects.count()
        assert Entry.objects.filter(action="case.create").count() == Case.objects.count()


def test_demo_verifies_clean(db, fresh_home):
    """Everything the demo writes — agency, units, people, certificates, cases, records — is in the
    log with its state: `liuhen verify` right after `liuhen demo` finds nothing. (Its own build:
    the class's demo was encrypted under the shared keys, and verify needs a home of its own.)"""
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log

    assert build_demo()
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    assert {"agency", "unit", "user", "certificate", "recordtype"} <= set(
        Entry.objects.values_list("object_type", flat=True))


def test_command_loads_once(db):
    out = io.StringIO()
    call_command("demo", stdout=out)
    first = out.getvalue()
    cases = Case.objects.count()
    entries = Entry.objects.count()
    assert Agency.objects.count() == 1 and cases >= 18
    assert "已加载演示数据" in first

    out = io.StringIO()
    call_command("demo", stdout=out)
    second = out.getvalue()
    assert Agency.objects.count() == 1 and Case.objects.count() == cases
    assert Entry.objects.count() == entries
    assert "未重复加载" in second
    for text in (first, second):
        lines = text.splitlines()
        assert len(lines) < 40
        assert "用户名" in lines[1] and "姓名" in lines[1] and "角色" in lines[1] and "科室" in lines[1]
        assert "密码（全部演示账号）：Liuhen-demo-2026" in lines
        assert lines[-1] == "打开 http://127.0.0.1:8000/ 登录"
        assert any(line.startswith("zhangming") and "张明" in line for line in lines)


def test_existing_agency_is_left_alone(db):
    Agency.objects.create(name="测试市水务局", short_name="测水")
    assert build_demo() == {}
    assert Case.objects.count() == 0 and User.objects.count() == 0
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "数据库中没有演示账号" in out.getvalue()
