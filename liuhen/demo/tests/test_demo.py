"""`liuhen demo`: the demo data is complete, consistent with the rules, and loaded only once."""
import datetime
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from liuhen.accounts.models import Agency, Certificate, User
from liuhen.accounts.roles import ADMIN_ROLES, Role
from liuhen.cases.models import STAGE_ORDER, Case, Party, PartyKind, Stage
from liuhen.cases.services import missing_requirements, transition_blockers
from liuhen.cases.validators import validate_credit_code, validate_id_number
from liuhen.demo.builder import DEMO_PASSWORD, build_demo, demo_logins
from liuhen.devices.models import ClockFlag, Device, SignOut
from liuhen.devices.models import Status as DeviceStatus
from liuhen.footage.models import FootageItem, FootageLink
from liuhen.avrules.selectors import NOT_SUITABLE_CODES, case_av, late
from liuhen.footage.selectors import holding_area
from liuhen.ledger.models import Entry
from liuhen.media import names, store
from liuhen.records.models import Attachment, Record, RecordVersion
from liuhen.records.selectors import states_for_case
from liuhen.testing.demo import demo_snapshot, in_the_demo, restore_demo, the_demo
from liuhen.testing.media import store_backend  # noqa: F401  (the verify test runs on both stores)


FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The demo hashes one password per person; the production hasher would only slow the tests.
    settings.PASSWORD_HASHERS = FAST_HASHER


@pytest.fixture(scope="class")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The run's one demo build, restored (liuhen/testing/demo.py)."""
    with the_demo(tmp_path_factory, django_db_blocker) as data:
        yield data


@pytest.fixture
def demo(demo_data, db, settings):
    return in_the_demo(settings, demo_data)


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


    def test_devices_were_signed_out_at_their_times(self, demo):
        """The device history lies in the past, each sign-out with its pre-use check: one returned
        with a clock never set, one out now with its clock 8 s fast, one out since this morning."""
        now = timezone.now()
        outs = list(SignOut.objects.select_related("device", "officer").order_by("server_time"))
        assert demo["devices"] == Device.objects.count() >= 6
        assert all(o.server_time < now - datetime.timedelta(hours=2) for o in outs)
        assert outs[0].server_time < now - datetime.timedelta(days=8)
        held = {o.device.number: o.officer.username for o in outs if not hasattr(o, "returned")}
        assert held == {"JL-001": "zhangming", "XJ-01": "zhangming", "JL-002": "liqiang"}
        flags = {(o.device.number, o.clock_flag) for o in outs}
        assert {("JL-003", ClockFlag.NEVER_SET), ("JL-002", ClockFlag.DRIFT), ("JL-001", ClockFlag.OK)} <= flags
        returned = [o for o in outs if hasattr(o, "returned")]
        assert returned and all(o.returned.server_time > o.server_time for o in returned)
        for o in outs:  # the rows' times are those of their ledger entries
            entry = Entry.objects.get(object_type=SignOut.ledger_object_type, object_id=str(o.pk))
            assert abs(entry.created_at - o.server_time) < datetime.timedelta(seconds=1)
        assert Device.objects.get(number="SX-01").status == DeviceStatus.REPAIR

    def test_footage_in_the_holding_areas(self, demo):
        """张明's videos (one with its GPS track, named by the Axis pattern) and photo, 李强's audio
        recording — each attributed to the officer who held the recorder, with no flag."""
        zhangming, liqiang = User.objects.get(username="zhangming"), User.objects.get(username="liqiang")
        mine = list(holding_area(zhangming.agency_id, officer=zhangming))
        assert sorted(i.kind for i in mine) == ["photo", "video", "video"]
        for item in mine:
            assert item.officer == zhangming and item.flags == [] and item.discrepancies == []
            assert names.parse_name(item.name).pattern == "axis"
            assert store.verify(item.blob_id)
        photo = next(i for i in mine if i.kind == "photo")
        assert photo.time_source == "name" and photo.recorded_utc is not None
        tracks = FootageItem.objects.filter(video__in=mine, name__endswith=".NMEA")
        assert tracks.count() == 1
        assert [i.important for i in mine if i.pk == tracks.get().video_id] == [True]  # 重点文件
        with store.open_blob(tracks.get().blob_id) as fh:
            assert fh.read().startswith(b"$GPRMC,")
        (audio,) = holding_area(liqiang.agency_id, officer=liqiang)
        assert audio.kind == "audio" and audio.officer == liqiang and audio.flags == []
        assert audio.creation_time == audio.recorded_utc

    def test_late_upload(self, demo):
        """高峰's patrol video was ingested days after it was recorded (LQ 23: within 24 hours)."""
        late = [i for i in FootageItem.objects.filter(video__isnull=True, recorded_utc__isnull=False)
                if i.ingested_at - i.recorded_utc - datetime.timedelta(seconds=i.duration or 0)
                > datetime.timedelta(hours=24)]
        (item,) = late
        assert item.officer.username == "gaofeng" and item.flags == []
        assert item in holding_area(item.agency_id, officer=item.officer)
        # The video of 赵长海's case was recorded nine days ago, but docked the same afternoon.
        linked = FootageItem.objects.get(links__case__title="赵长海在太子河河道管理范围内搭建彩钢房")
        assert timezone.now() - linked.recorded_utc > datetime.timedelta(days=8)
        assert linked.ingested_at - linked.recorded_utc < datetime.timedelta(hours=24)

    def test_flagged_footage_is_kept_and_attributed_to_nobody(self, demo):
        """JL-003's clock was never set (2000-01-01): its video is kept and flagged; with no
        recording time it is attributed to no officer — only the 设备管理员 and 机关负责人 see it."""
        (item,) = [i for i in FootageItem.objects.all() if "clock_never_set" in i.flags]
        assert item.device.number == "JL-003" and item.officer is None and item.recorded_utc is None
        assert item.creation_time.year == 1999  # 2000-01-01 02:15 on the camera, in 本溪
        assert item in holding_area(item.agency_id)
        officers = User.objects.filter(groups__name=Role.OFFICER)
        assert not any(item in holding_area(o.agency_id, officer=o) for o in officers)

    def test_footage_linked_to_the_inspection_record(self, demo):
        """Acts with footage: each video linked to the record of its act (a 现场检查笔录 or
        查封扣押现场笔录, in 调查取证; a 留置送达's 送达回证 or a 公告送达记录, in 送达执行) by the
        officer of the case who filmed it, as the record was made — before the case left that stage."""
        links = list(FootageLink.objects.select_related("case", "item", "linked_by"))
        assert len(links) == demo["links"] == 23
        service = {"service_receipt", "service_notice"}
        for link in links:
            record = Record.objects.get(pk=link.record_id)
            stage = Stage.SERVICE if record.record_type.code in service else Stage.INVESTIGATION
            assert link.stage == record.stage == stage
            assert record.case_id == link.case_id and record.record_type.code in (
                "inspection_record", "seizure_record", "inquiry_record", *service)
            assert link.linked_by.case_assignments.filter(case=link.case).exists()
            assert link.item.officer == link.linked_by
            assert link.item not in holding_area(link.case.agency_id)
            left = link.case.transitions.filter(from_stage=stage).order_by("pk").first()
            assert left is None or link.linked_at < left.at
        in_service = [link.record_id for link in links if link.stage == Stage.SERVICE]
        assert sorted(Record.objects.filter(pk__in=in_service).values_list("record_type__code", flat=True)) == [
            "service_notice", "service_receipt"]

    def test_every_required_act_has_footage_or_the_one_note(self, demo):
        """LQ 19, AS 8: every act of every demo case the AV rules require has its footage, except
        龙泉酒业's 现场检查 (a trade secret): the one approved 不适宜音像记录说明 of the demo."""
        (note,) = Record.objects.filter(record_type__code__in=sorted(NOT_SUITABLE_CODES)).select_related("case")
        assert note.case.title == "本溪市龙泉酒业有限公司取水单位监督检查"
        required = [(case, row) for case in Case.objects.order_by("pk") for row in case_av(case) if row.act.required]
        # 16 filmed by the demo, a 留置送达 and a 公告送达 too, 赵长海's by the story, 龙泉酒业's without
        assert len(required) == 20
        for case, row in required:
            if case.pk == note.case_id:
                assert (row.act.id, row.status, row.footage) == ("inspection", "approved", [])
                assert row.notes[0].record == note
                continue
            assert row.status == "footage", (case.title, row.name)
            assert not row.problems() and not row.late and not row.gaps
            for item in row.footage:  # filmed by an officer of the case, no flag, no disagreement
                assert item.officer.case_assignments.filter(case=case).exists()
                assert item.flags == [] and item.discrepancies == [] and late(item) is None
                # Docked the day it was recorded (LQ 23: stored within 24 hours).
                assert timezone.localdate(item.ingested_at) == timezone.localdate(item.recorded_utc)
        # LW-D 7: the written time within the footage's span, but for the one deliberate mismatch.
        mismatched = {case.title for case, row in required if row.mismatch is not None}
        assert mismatched == {"本溪市鑫源洗浴有限公司擅自开凿机井取水"}
        # The inquiries (expected, LQ 19) of the cases past 调查取证 were recorded too: on the
        # 水政监察支队's recorder (audio), or the unit's camera.
        inquiries = [(case, row) for case in Case.objects.exclude(stage__in=[Stage.START, Stage.INVESTIGATION])
                     for row in case_av(case) if row.act.id == "inquiry"]
        # All but 鑫泰洗选's interview at the bureau (liuhen/demo/execution.py), not recorded: optional, no finding.
        unrecorded = [(case.title, row.status) for case, row in inquiries if not row.footage]
        assert unrecorded == [("本溪市鑫泰矿产品洗选有限公司取水单位监督检查", "missing")]
        inquiries = [(case, row) for case, row in inquiries if row.footage]
        assert len(inquiries) == 4
        for case, row in inquiries:
            assert row.status == "footage" and row.mismatch is None and not row.late, case.title
        assert {row.footage[0].kind for _case, row in inquiries} == {"audio", "video"}

    def test_a_camera_names_each_file_once(self, demo):
        """A camera numbers its files on: no two files of one device share a name."""
        names_seen = list(FootageItem.objects.values_list("device__number", "name"))
        assert len(names_seen) == len(set(names_seen))

    def test_no_device_was_signed_out_twice_at_once(self, demo):
        """A device is with one officer at a time, in the past as now: the acts' sign-outs fit
        around the holding-area story's."""
        far = timezone.now() + datetime.timedelta(days=1)
        for device in Device.objects.all():
            spans = sorted((o.server_time, o.returned.server_time if hasattr(o, "returned") else far)
                           for o in SignOut.objects.filter(device=device).select_related("returned"))
            for (_a, end), (start, _b) in zip(spans, spans[1:]):
                assert end <= start, device.number

    def test_footage_files_say_when_they_were_made(self, demo):
        """Every video and audio file states its creation time, the time the footage is held to."""
        for item in FootageItem.objects.filter(kind__in=["video", "audio"]):
            assert item.facts["creation_time_raw"], item.name
            if "clock_never_set" not in item.flags:
                assert item.time_source == "metadata" and item.recorded_utc == item.creation_time
        # 29 of the recorders' days (a 留置送达 and a 公告送达 among them), and 3 of JL-010's seven months
        # ago (liuhen/demo/retention.py)
        assert demo["footage"] == FootageItem.objects.filter(video__isnull=True).count() == 32

    def test_ledger_has_the_writes(self, demo):
        actions = set(Entry.objects.values_list("action", flat=True))
        assert {
            "accounts.user_create", "accounts.role_grant", "accounts.certificate_issue", "case.create",
            "case.party_add", "case.officer_assign", "case.transition", "record.create", "record.version",
            "record.attach", "record.sign", "record.refuse", "record.refusal_confirm", "record.void",
            "devices.signout", "devices.return", "footage.ingest", "footage.add", "footage.link", "footage.mark",
        } <= actions
        assert Entry.objects.filter(action="record.create").count() == Record.objects.count()
        assert Entry.objects.filter(action="case.create").count() == Case.objects.count()

    def test_nothing_is_dated_after_the_load(self, demo):
        # The demo dates its history in the past (clock_at); no step of it may lie in the future —
        # a court copy handed over "tomorrow" would be a lie the ledger then carries.
        latest = Entry.objects.order_by("-created_at").values_list("created_at", "action").first()
        assert latest[0] <= timezone.now(), latest

    # -- issue 15: the demo's history on its days (liuhen/demo/timeline.py, days.py) ----------------
    def test_the_history_spans_the_last_three_months(self, demo):
        """Cases opened in each of three months, the oldest more than 80 days ago; the rows of their
        steps dated over as long (the deadline clocks and monthly charts show something true)."""
        now = timezone.now()
        opened = sorted(Case.objects.values_list("created_at", flat=True))
        assert now - opened[0] > datetime.timedelta(days=80) and opened[-1] < now
        assert len({(timezone.localtime(t).year, timezone.localtime(t).month) for t in opened}) >= 3
        rows = list(Record.objects.values_list("created_at", flat=True))
        assert max(rows) - min(rows) > datetime.timedelta(days=80)
        # Cases in at least two units, led by several officers.
        assert len(set(Case.objects.values_list("unit", flat=True))) >= 2
        assert len({c.officers.get(is_lead=True).officer_id for c in Case.objects.all()}) >= 5

    def test_the_ledger_is_in_time_order(self, demo):
        """Append order is time order across all the demo's parts: from the demo's first entry on (the
        catalogue written by `liuhen migrate` comes first, at install time) no entry is dated before
        the one it follows, and none after the load."""
        first = Entry.objects.filter(action="accounts.agency_create").values_list("pk", flat=True).get()
        times = list(Entry.objects.filter(pk__gte=first).order_by("pk").values_list("created_at", flat=True))
        assert len(times) > 500
        behind = [(a, b) for a, b in zip(times, times[1:]) if b < a]
        assert behind == []
        assert times[-1] <= timezone.now()

    def test_no_step_of_a_case_on_a_day_off_but_an_emergency(self, demo):
        """Each step of each case — opened, moved on, a record drafted or signed, footage linked —
        on a working day (the State Council's calendar: no weekend, no public holiday, the adjusted
        weekends worked) between 08:00 and 18:00; only an emergency start (LC 8) happens when it
        happens: 鑫盛物流's on a day off's morning (a weekend or a holiday), 郑德顺's at night."""
        from liuhen.demo.days import is_workday

        steps = []
        for case in Case.objects.all():
            steps += [(case, "opened", case.created_at)]
            steps += [(case, f"→{t.to_stage}", t.at) for t in case.transitions.all()]
            for record in case.records.all():
                steps += [(case, record.record_type.code, record.created_at)]
                steps += [(case, f"{record.record_type.code} signed", s.signed_at) for s in record.signatures.all()]
            steps += [(case, "footage linked", link.linked_at) for link in FootageLink.objects.filter(case=case)]
        off = []
        for case, what, at in steps:
            local = timezone.localtime(at)
            emergency_night = (case.start_mode == "emergency"
                               and local.date() == timezone.localtime(case.created_at).date())
            if not emergency_night and not (is_workday(local.date()) and 8 <= local.hour < 18):
                off.append((case.title, what, local))
        assert off == []
        emergencies = Case.objects.filter(start_mode="emergency")
        assert len(emergencies) == 2
        xinsheng = emergencies.get(title="本溪市明山区鑫盛物流有限公司河道阻水障碍物代履行清除")
        assert not is_workday(timezone.localtime(xinsheng.created_at).date())
        assert any(timezone.localtime(c.created_at).hour >= 20 for c in emergencies)

    def test_deadlines_met_and_missed(self, demo):
        """For each deadline the clocks compute, the demo has a case that met it and one that missed
        it, with the gaps its rows show: the decision served within 7 working days or after twelve
        (行政处罚法 61); the emergency start's 补批表 signed within 24 h or days later (LC 8, LQ 8); the
        file archived within 30 days of entering 归档管理 or after more (BX 11, LC 31, LQ 28)."""
        from liuhen.demo.days import is_workday

        def completed(case, code):
            record = case.records.filter(record_type__code=code, void__isnull=True).earliest("id")  # the first
            return max(record.signatures.values_list("signed_at", flat=True))

        def working_days_between(a, b):
            a, b = timezone.localdate(a), timezone.localdate(b)
            return sum(1 for n in range(1, (b - a).days + 1) if is_workday(a + datetime.timedelta(days=n)))

        served = {}
        for case in Case.objects.filter(procedure="general", records__record_type__code="service_receipt").distinct():
            receipt = case.records.filter(record_type__code="service_receipt").earliest("id")  # the decision's
            if not receipt.signatures.filter(outcome="refused").exists():
                served[case.title] = working_days_between(completed(case, "decision"), completed(case, "service_receipt"))
        assert served["本溪市溪湖区宏达洗煤有限公司未经许可取水"] <= 7
        assert served["王德福在太子河河道管理范围内违法建设"] > 7
        assert sum(1 for n in served.values() if n > 7) == 1

        backfill = {c.title: (c.created_at, completed(c, "emergency_start_approval"))
                    for c in Case.objects.filter(start_mode="emergency")}
        started, signed = backfill["本溪市明山区鑫盛物流有限公司河道阻水障碍物代履行清除"]
        assert signed - started < datetime.timedelta(hours=24)
        # three working days later: more than three calendar days only when a weekend falls between
        started, signed = backfill["郑德顺夜间向细河河道倾倒建筑渣土紧急处置"]
        assert signed - started > datetime.timedelta(hours=48) and working_days_between(started, signed) == 3

        archived = {c.title: c.archived_at - c.transitions.filter(to_stage=Stage.ARCHIVE).earliest("at").at
                    for c in Case.objects.filter(archived_at__isnull=False)}
        late = {t for t, gap in archived.items() if gap > datetime.timedelta(days=30)}
        assert late == {"本溪市溪湖区宏达洗煤有限公司未经许可取水"}
        assert len(archived) - len(late) >= 4

        # Footage: docked the day it was recorded, and 高峰's patrol video uploaded days late (LQ 23).
        lags = [i.ingested_at - i.recorded_utc for i in FootageItem.objects.filter(video__isnull=True,
                                                                                 recorded_utc__isnull=False)]
        assert any(lag < datetime.timedelta(hours=24) for lag in lags)
        assert any(lag > datetime.timedelta(hours=48) for lag in lags)


def test_demo_verifies_clean(db, fresh_home, store_backend, settings, tmp_path_factory, django_db_blocker):
    """Everything the demo writes — agency, units, people, certificates, cases, records, devices,
    footage and its files — is in the log with its state: `liuhen verify` right after `liuhen demo`
    finds nothing, with the files on local disk or in S3. (The run's one build copied into a home
    of its own with its keys, its files put into the store under test through the store's own
    `put`: verify reads every one of them back from there. That build is `liuhen demo`'s own run:
    test_command_loads_once reads what it printed.)"""
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log
    from liuhen.testing import demo as scenes

    files = tmp_path_factory.mktemp("demo-files")
    assert restore_demo(demo_snapshot(tmp_path_factory, django_db_blocker), fresh_home, files)
    put = scenes.put_scene_files(files)  # (a snapshot that did not fit: built here, its files in S3 or in `files`)
    assert put >= FootageItem.objects.values("blob_id").distinct().count() or not scenes.last_restore_fitted
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    assert {"agency", "unit", "user", "certificate", "recordtype", "device", "device_signout", "device_return",
            "footage", "footage_ingest", "footage_link", "footage_mark"} <= set(Entry.objects.values_list("object_type", flat=True))
    assert FootageItem.objects.count() == 33 and all(store.verify(i.blob_id) for i in FootageItem.objects.all())


def test_command_loads_once(demo):
    # The first `liuhen demo`, on the empty database, is the run's one demo build (liuhen/testing/demo.py
    # `_demo`): what it printed, and the database it left, restored here.
    first = demo.output
    cases = Case.objects.count()
    entries = Entry.objects.count()
    footage = FootageItem.objects.count()
    assert footage and SignOut.objects.exists()
    assert Agency.objects.count() == 1 and cases >= 18
    assert "已加载演示数据" in first and "11台音像记录设备，32个音像记录" in first  # JL-006/007: demo/devlife.py; JL-010: demo/retention.py

    out = io.StringIO()
    call_command("demo", stdout=out)
    second = out.getvalue()
    assert Agency.objects.count() == 1 and Case.objects.count() == cases
    assert Entry.objects.count() == entries
    assert FootageItem.objects.count() == footage
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


def test_without_ffmpeg_every_act_gets_its_note(db, monkeypatch, tmp_path_factory, django_db_blocker):
    """On a machine without ffmpeg the demo has no footage: cover_missing (liuhen/demo/av.py) then
    writes an approved 不适宜音像记录说明 for each act the AV rules require, so that every case still
    reaches its stage (LQ 19, AS 8) — the safety net the filmed demo does not need. Built as
    `build_demo(cases_only=True)`: every case of the demo, without the history later parts add to
    finished cases (PDFs, seals, publications: none writes a note) — held to the same cases as the run's
    filmed demo."""
    from liuhen.demo import footage as demo_footage

    filmed = demo_snapshot(tmp_path_factory, django_db_blocker)
    monkeypatch.setattr(demo_footage, "ffmpeg_available", lambda: False)
    summary = build_demo(cases_only=True)
    assert summary["cases"] == Case.objects.count() == filmed.summary["cases"] and FootageItem.objects.count() == 0
    if filmed.rows is not None:  # every case the filmed demo has, by its title
        columns, rows = filmed.rows[Case._meta.db_table]
        at = columns.index("title")
        assert set(Case.objects.values_list("title", flat=True)) == {row[at] for row in rows}
    assert summary["records"] == Record.objects.count()
    status = {(case.title, row.act.id): row.status for case in Case.objects.all() for row in case_av(case)
              if row.act.required}
    # Only 赵长海's 现场检查 (its case still in 调查取证, its video the story's) stays without.
    assert {k for k, v in status.items() if v != "approved"} == {("赵长海在太子河河道管理范围内搭建彩钢房", "inspection")}
    assert Record.objects.filter(record_type__code__in=sorted(NOT_SUITABLE_CODES)).count() == len(status) - 1
    # The filmed demo's 20 required acts (test_every_required_act_has_footage_or_the_one_note), each
    # with its note here but the story's one.
    assert len(status) == 20
