"""Benchmark of `liuhen verify` with its domain checks on, over realistic cases built through the services.

    .venv/bin/python bench/verify.py                 # full: 300, 1 000, 3 000 cases (20-30 minutes)
    .venv/bin/python bench/verify.py --quick         # 25 and 100 cases, about a minute
    .venv/bin/python bench/verify.py --sizes 1000,3000,10000   # about an hour: building is the cost

bench/ledger.py measures the ledger alone (1e6 synthetic entries, domain checks off). This one
measures what an operator runs: `liuhen verify`, which re-hashes the whole log AND asks every app
whether its rows (cases, parties, officers, stage transitions, records, versions, signatures,
refusal confirmations, voids, attachments and their files, people, roles, certificates, agencies,
units, record types) still say what the log says.

1. Setup: a fresh temporary directory as LIUHEN_HOME (fresh keys, blob store and checkpoint file)
   and a fresh SQLite database in it (DATABASE_URL=sqlite:///<tmp>/liuhen.sqlite3), django.setup(),
   `migrate`.
2. Build: one agency, three units, one set of people (unit heads, twelve certified officers,
   agency head, legal reviewer, archivist, administrators), reused by every case. Then N cases,
   each in its own transaction, through the services only (accounts / cases / records services:
   no row is written any other way, so every row has the events the services log). A case is
   drawn from a seeded generator: mostly general-procedure penalties, some inspections and
   on-the-spot (simplified) penalties; 1-2 parties, 2 officers; 60 % archived, the others left in
   one of the five stages with its work half done; about 20 records at most across the stages
   (about 10 on average), one in five revised once before signing (a second version, with its reason); every
   signature the type's rule asks (officers,
   party, leader, legal reviewer, archivist); a party's refusal confirmed by the second officer in
   some; a decision voided and remade in some; a case sent back from 审查决定 to 调查取证 in a few.
   Each case passes today's gates and content checks as a real one must (none is relaxed here):
   the 现场检查 has an approved 不适宜音像记录说明 (the AV gate, liuhen/avrules; footage would need
   ffmpeg and `liuhen ingest` per case); a general-procedure penalty has its 调查终结报告, its
   处理意见 and 决定书 name the penalty (罚款, 行政处罚法 59), a 行政处罚告知书 is served before the
   decision (行政处罚法 44; the party waives its rights in half of them, the periods have run in the
   others: liuhen.rights), and a major one (a fine of 10 000 yuan or more on a person: the base
   profile's `major:`) goes through 法制审核 — assessed, sent with its package, reviewed point by
   point by the qualified reviewer (liuhen.legalreview); a 送达回证 names the receiver's relation
   (民事诉讼法 88); an on-the-spot fine is at most 200 yuan (行政处罚法 51);
   small attachments (a text note and a ~9 KB PNG, unique bytes) on the inspection record of 40 %;
   and a few reads (`cases.services.log_view`, `records.services.log_view`). The ledger is
   integrated (`storage.integrate_all()`, one signed checkpoint) every --integrate-every cases and
   at the end of each size. Passwords are hashed with MD5 while the people are made (as the test
   suite does): a password hash is no part of what the log vouches for, and the default hasher
   would cost a few seconds for nothing.
3. Measure, at each size (growing the same database): `liuhen verify` and `liuhen verify
   --no-domain` run as the operator runs them: the real console script, a fresh process each time,
   started with subprocess.Popen and reaped with os.wait4(), whose rusage is that one child's:
   wall time from spawn to exit, peak RSS = ru_maxrss (KiB on Linux). (RUSAGE_CHILDREN is not
   used: its ru_maxrss is the largest of all children so far, so a smaller later run would show an
   earlier run's peak.) `liuhen verify --help` is timed the same way: the cost of starting Python
   and Django, included in both. Each run must exit 0 (a failing verify means the builder wrote
   something wrong) and say 通过. With --repeat N, the fastest of N runs
   (and the largest peak RSS) is reported.
4. At the largest size (unless --no-breakdown), once more in a subprocess, `verify_log()` with each
   registered domain checker wrapped in a timer: the seconds each app's checker takes, and the
   process's RSS once the leaves are scanned (the domain events held) and after the checkers.

The last line printed (stdout) is one JSON object with the figures and ratios. Progress goes to stderr.
"""
from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "Liuhen-bench-2026"


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(float(s)) for s in text.split(",") if s.strip()})
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes must be integers >= 1, e.g. 1000,3000,10000")
    return sizes


# --------------------------------------------------------------------------------------- setup


def _env(home: Path) -> dict:
    """The environment of this process and of every `liuhen` child: the same home and database."""
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="liuhen.settings", LIUHEN_HOME=str(home),
               DATABASE_URL=f"sqlite:///{home / 'liuhen.sqlite3'}")
    env.pop("LIUHEN_DEBUG", None)  # DEBUG would keep every query of the build in memory
    return env


def _setup_django(home: Path) -> None:
    os.environ.update(_env(home))
    os.environ.pop("LIUHEN_DEBUG", None)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# ----------------------------------------------------------------------------------- the data

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "建国志强秀兰海涛丽娟德福春生宝山长海立军玉兰明华国栋文静晓东红梅永刚桂英振华淑珍俊杰雪梅"
ORG_PLACES = ["溪湖区", "平山区", "明山区", "南芬区", "本溪县", "桓仁县"]
ORG_WORDS = ["宏达", "恒源", "华泰", "鑫盛", "福顺", "清泉", "天成", "龙泉", "宏远", "富民", "北方", "兴业", "金源", "瑞丰"]
ORG_TRADES = ["洗煤有限公司", "矿泉水有限公司", "热力有限公司", "物流有限公司", "建材经销处", "纯净水厂", "化工有限公司",
              "养殖专业合作社", "酒业有限公司", "物业服务有限公司", "砂石料场", "洗浴有限公司"]
REGIONS = ["210502", "210503", "210504", "210505", "210521", "210522"]
VIOLATIONS = [
    ("未经许可取水", "利用自备井取用地下水用于生产，未取得取水许可", "《中华人民共和国水法》第四十八条第一款、第六十九条第（一）项"),
    ("在河道管理范围内违法建设", "在河道管理范围内建设建筑物，影响河道行洪", "《中华人民共和国水法》第三十七条第二款、第六十五条第一款"),
    ("在河道管理范围内倾倒垃圾", "向河道管理范围内倾倒生活垃圾和建筑垃圾", "《中华人民共和国河道管理条例》第二十四条、第四十四条"),
    ("未经批准在河道采砂", "未经批准在河道内采砂，破坏河床", "《中华人民共和国水法》第三十九条；《中华人民共和国河道管理条例》第二十五条"),
    ("超许可水量取水", "取水量超过取水许可批准的年取水量", "《取水许可和水资源费征收管理条例》第四十九条"),
    ("未按规定安装取水计量设施", "取水工程未安装取水计量设施", "《取水许可和水资源费征收管理条例》第四十三条、第五十三条"),
]


def person_id(rng: random.Random) -> str:
    from liuhen.cases.validators import id_check_char

    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 50))
    first17 = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_char(first17)


def credit_code(rng: random.Random) -> str:
    from liuhen.cases.validators import uscc_check_char

    body = "".join(rng.choice("0123456789") for _ in range(8))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    c = 11 - sum(int(ch) * w for ch, w in zip(body, weights)) % 11
    first17 = "91" + rng.choice(REGIONS) + body + {10: "X", 11: "0"}.get(c, str(c))
    return first17 + uscc_check_char(first17)


def png_bytes(rng: random.Random, width: int = 56, height: int = 52) -> bytes:
    """A small RGB PNG of noise (~9 KB, unique per seed): a photo's stand-in, made with zlib only."""
    raw = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


# ----------------------------------------------------------------------------------- the builder


class Builder:
    """One agency and its people, then cases — every row through the services."""

    UNITS = ["水政监察支队", "水资源管理科", "河湖管理科"]
    OFFICERS_PER_UNIT = 4

    def __init__(self, seed: int):
        from liuhen.records.models import RecordType

        self.seed = seed
        self.today = self._today()
        self.types = {t.code: t for t in RecordType.objects.all()}
        self.counts = {"records": 0, "versions": 0, "signatures": 0, "attachments": 0, "views": 0,
                       "voided": 0, "sent_back": 0, "refusals": 0, "archived": 0, "av_notes": 0,
                       "legal_reviews": 0}
        self.built = 0

    @staticmethod
    def _today():
        from django.utils import timezone

        return timezone.localdate()

    # -- people, once ----------------------------------------------------------------------------
    def build_people(self) -> None:
        from django.db import transaction
        from django.test import override_settings

        from liuhen.accounts import services as acc
        from liuhen.accounts.roles import Role

        # Passwords are hashed with MD5 here (as the test suite's conftest does): the hash is no
        # part of any state the log vouches for, and the default hasher costs ~0.3 s a person.
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]), \
                transaction.atomic():
            self.agency = acc.create_agency(None, name="本溪市水务局", short_name="本水",
                                            address="本溪市平山区北地街道东明路1号", phone="024-42842110")
            units = [acc.create_unit(None, self.agency, name=name) for name in self.UNITS]
            n = 0

            def person(username, full_name, roles, unit=None, actor=None, cert=False):
                nonlocal n
                # The system creates each account with its roles (an administrator may do only one
                # of the two: 三员分立); `actor` is kept for the call sites.
                user = acc.create_user(None, username=username, full_name=full_name, password=PASSWORD,
                                       agency=self.agency, unit=unit, roles=roles)
                if cert:
                    n += 1
                    acc.issue_certificate(self.sysadmin, user, number=f"辽B210500{n:04d}",
                                          valid_from=self.today - datetime.timedelta(days=400 + 37 * n),
                                          valid_until=self.today + datetime.timedelta(days=1400),
                                          issued_by="辽宁省人民政府")
                return user

            self.sysadmin = person("sysadmin", "韩立新", [Role.SYSTEM_ADMIN])
            secadmin = person("secadmin", "冯雪", [Role.SECURITY_ADMIN])
            self.agency_head = person("juzhang", "刘建国", [Role.AGENCY_HEAD], actor=secadmin)
            self.reviewer = person("fazhi", "郑慧", [Role.LEGAL_REVIEWER], actor=secadmin)
            self.archivist = person("dangan", "吴秀兰", [Role.ARCHIVIST], actor=secadmin)
            self.teams = []  # (unit, unit head, [officers])
            for u, unit in enumerate(units):
                head = person(f"head{u}", f"{SURNAMES[u]}队长", [Role.UNIT_HEAD], unit, actor=secadmin)
                officers = [person(f"officer{u}{k}", SURNAMES[10 + 4 * u + k] + GIVEN[2 * k:2 * k + 2],
                                   [Role.OFFICER], unit, actor=secadmin, cert=True)
                            for k in range(self.OFFICERS_PER_UNIT)]
                self.teams.append((unit, head, officers))

    # -- one case ---------------------------------------------------------------------------------
    def build_case(self, i: int) -> None:
        from django.db import transaction

        with transaction.atomic():
            _Case(self, i, random.Random(self.seed * 1_000_003 + i)).build()
        self.built += 1


class _Case:
    """One case: drawn from `rng`, written through the services."""

    def __init__(self, b: Builder, i: int, rng: random.Random):
        from liuhen.cases.models import Kind, Procedure, StartMode

        self.b, self.i, self.rng = b, i, rng
        unit, self.head, officers = b.teams[i % len(b.teams)]
        k = (i // len(b.teams)) % len(officers)
        self.team = [officers[k], officers[(k + 1 + rng.randrange(len(officers) - 1)) % len(officers)]]
        self.lead = self.team[0]
        r = rng.random()
        if r < 0.70:
            self.kind, self.procedure = Kind.PENALTY, Procedure.GENERAL
            self.start_mode = StartMode.COMPLAINT if rng.random() < 0.3 else StartMode.EX_OFFICIO
        elif r < 0.85:
            self.kind, self.procedure, self.start_mode = Kind.INSPECTION, Procedure.GENERAL, StartMode.EX_OFFICIO
        else:
            self.kind, self.procedure, self.start_mode = Kind.PENALTY, Procedure.SIMPLIFIED, StartMode.EX_OFFICIO
        # Stages completed: 5 = archived (60 %); otherwise the case is in that stage, its work half done.
        self.done = 5 if rng.random() < 0.6 else rng.randrange(5)
        self.violation = rng.choice(VIOLATIONS)
        self.attach = rng.random() < 0.4
        self.refuse = rng.random() < 0.1
        self.void = rng.random() < 0.05
        self.send_back = rng.random() < 0.05
        self.start = b.today - datetime.timedelta(days=40 + rng.randrange(300))
        self.case = None
        self.parties: list[str] = []

    # -- helpers ----------------------------------------------------------------------------------
    def day(self, n: int) -> str:
        return min(self.b.today, self.start + datetime.timedelta(days=n)).isoformat()

    def dt(self, n: int, hm: str) -> str:
        return f"{self.day(n)}T{hm}"

    @property
    def party(self) -> str:
        return self.parties[0] if self.parties else ""

    def record(self, code: str, data: dict, *, sign: bool = True, revise: str | None = None, files=(),
               party: bool = True, by=None):
        """Create a record; revise it once (`revise`: the field to add to) with some probability;
        attach `files`; then (unless sign=False) sign it as its type's rule asks."""
        from liuhen.records import services as records

        c = self.counts
        rt = self.b.types[code]
        by = by or self.lead
        rec = records.create_record(by, self.case, rt, data)
        c["records"] += 1
        c["versions"] += 1
        if revise and self.rng.random() < 0.35:
            data = dict(data)
            data[revise] = data[revise] + "\n经核对补充：以上情况已与当事人现场确认。"
            records.revise_record(by, rec, data, "补充核对情况")
            c["versions"] += 1
        for name, content, ctype in files:
            records.attach(by, rec, io.BytesIO(content), name, ctype)
            c["attachments"] += 1
        if sign:
            self.sign(rec, by=by, party=party)
        return rec

    def sign(self, rec, *, by=None, party: bool = True) -> None:
        """Every signature `rec`'s rule asks for: `by` (default the lead) and the other officer, the
        party (unless party=False), the 负责人, reviewer or archivist."""
        from liuhen.testing.signing import sign_as_rule_asks

        b, by = self.b, by or self.lead
        signers = [by] + [u for u in self.team if u != by]
        # A general-procedure penalty's approval is the 机关负责人's (records.rules.OVERRIDES); other
        # approvals go now and then to the agency head as well.
        leader = b.agency_head if rec.record_type.code == "leader_approval" and self.rng.random() < 0.3 else None
        self.counts["signatures"] += sign_as_rule_asks(
            rec, officers=signers, party_name=self.party if party and self.parties else None, recorded_by=by,
            leader=leader, unit_head=self.head, agency_head=b.agency_head, reviewer=b.reviewer,
            archivist=b.archivist)

    @property
    def counts(self) -> dict:
        return self.b.counts

    def view(self, who, rec=None) -> None:
        from liuhen.cases import services as cases
        from liuhen.records import services as records

        if rec is None:
            cases.log_view(who, self.case)
        else:
            records.log_view(who, rec)
        self.counts["views"] += 1

    def advance(self, note: str) -> None:
        from liuhen.cases import services as cases

        self.case = cases.advance(self.lead, self.case, note)

    # -- the stages: each a list of steps; a case left in a stage does the first half of them ------
    def steps_start(self):
        from liuhen.cases.models import Procedure, StartMode

        if self.procedure == Procedure.SIMPLIFIED:
            return []
        title, what, _ = self.violation
        steps = []
        if self.start_mode == StartMode.COMPLAINT:
            steps.append(lambda sign: self.record("complaint_register", {
                "complainant": f"{self.rng.choice(SURNAMES)}某（实名）", "real_name": True,
                "content": f"举报{self.party or '有人'}{what}。", "received_at": self.dt(0, "10:15")},
                sign=sign, revise="content"))
        steps.append(lambda sign: self.record("start_approval", {
            "reason": f"执法人员发现{self.party or '有关单位'}涉嫌{what}，涉嫌违反{self.violation[2]}。",
            "party": "、".join(self.parties) or "待查明", "handler_opinion": "建议立案调查。"}, sign=sign, revise="reason"))
        return steps

    def steps_investigation(self):
        from liuhen.cases.models import Kind, Procedure

        place = f"本溪市{self.rng.choice(ORG_PLACES)}{self.rng.choice(ORG_WORDS)}村"
        steps = []
        if self.procedure == Procedure.GENERAL and self.kind != Kind.INSPECTION:
            steps.append(lambda sign: self.record("rights_notice", {
                "rights": "陈述、申辩、申请回避；拟作出较大数额罚款等决定的，享有要求听证的权利",
                "time": self.dt(1, "09:00"), "place": place}, sign=sign))

        def inspection(sign):
            files = ()
            if self.attach:
                note = (f"现场情况说明\n\n案件序号：{self.i}\n时间：{self.day(1)}\n地点：{place}\n"
                        f"执法人员：{'、'.join(u.full_name for u in self.team)}\n\n"
                        + f"现场发现当事人{self.violation[1]}。" * 20 + "\n").encode("utf-8")
                files = (("现场情况说明.txt", note, "text/plain; charset=utf-8"),
                         ("现场照片.png", png_bytes(self.rng), "image/png"))
            rec = self.record("inspection_record", {
                "time": self.dt(1, "09:20"), "place": place, "certificates_shown": True,
                "present": self.party, "findings": f"现场检查发现当事人{self.violation[1]}，执法人员拍照取证。"},
                sign=sign, revise="findings", files=files)
            if sign:
                self.av_not_suitable(rec)
            return rec

        steps.append(inspection)
        if self.procedure == Procedure.GENERAL and self.kind != Kind.INSPECTION:
            steps.append(self.inquiry)
            # LW-L 11: the 调查终结报告 heads the package a major decision is sent to legal review with.
            steps.append(lambda sign: self.record("investigation_report", {
                "facts": f"经查，当事人{self.violation[1]}。", "evidence": "现场检查笔录、询问笔录、现场照片。",
                "proposal": "建议依法给予行政处罚。"}, sign=sign, revise="facts"))
        return steps

    def av_not_suitable(self, act) -> None:
        """The AV gate (liuhen/avrules; LQ 19, AS 8): a 现场检查 is recorded on audio-video, or a
        不适宜音像记录说明 naming it is signed by two officers and approved by a 负责人. Footage would
        need a camera signed out and `liuhen ingest` of real video files per case; the approved note
        is the written path the gate accepts, and its signatures are verified like any record's."""
        from liuhen.demo.av import approved_not_suitable

        approved_not_suitable(self.case, self.team, self.head, act_record=act, reason_kind="涉及商业秘密",
                              reason="现场为当事人生产车间，涉及其生产工艺等商业秘密，当事人书面请求不予录像。",
                              opinion="同意不进行音像记录，以文字和照片记录为准。")
        for key, n in (("records", 1), ("versions", 1), ("signatures", 3), ("av_notes", 1)):
            self.counts[key] += n

    def inquiry(self, sign):
        from liuhen.records import services as records
        from liuhen.records.models import SignerRole

        data = {"time": self.dt(2, "14:00"), "place": "本溪市水务局询问室", "interviewee": self.party,
                "certificates_shown": True,
                "content": f"问：你是否{self.violation[1]}？\n答：是的。\n问：是否办理了相关手续？\n答：没有办理。"}
        if not (self.refuse and sign):
            return self.record("inquiry_record", data, sign=sign, revise="content")
        rec = self.record("inquiry_record", data, party=False)
        sig = records.record_other_signature(self.lead, rec, role=SignerRole.PARTY, signer_name=self.party,
                                             refused=True, reason="当事人对笔录内容有异议，拒绝签字")
        records.confirm_refusal(self.team[1], sig)
        self.counts["signatures"] += 1
        self.counts["refusals"] += 1
        return rec

    def steps_decision(self):
        from liuhen.cases.models import Kind, Procedure
        from liuhen.records import services as records

        title, what, basis = self.violation
        # 行政处罚法 51: on the spot, a fine of up to 200 yuan (a person) or 3 000 yuan (an organisation).
        fine = self.rng.randrange(1, 3) * 100 if self.procedure == Procedure.SIMPLIFIED \
            else self.rng.randrange(1, 50) * 1000
        # 行政处罚法 59: the decision states its penalty (the rights app refuses one without).
        penalty = {"penalty_kind": "罚款", "fine_amount": fine}
        decision = lambda number: {  # noqa: E731
            "doc_number": number, "facts": f"当事人{what}，违法事实清楚。", "basis": basis,
            "content": f"一、责令立即改正违法行为；二、处罚款人民币{fine}元。",
            "remedy": "如不服本决定，可自收到本决定书之日起六十日内申请行政复议，或者在六个月内提起行政诉讼。",
            "decided_on": self.day(15), **penalty}
        number = self.case.number.replace("〔", "决〔", 1)

        def make_decision(sign):
            if self.void and sign:
                wrong = self.record("decision", decision(number.replace(str(self.case.year), str(self.case.year - 1))),
                                    sign=False)
                records.void_record(self.lead, wrong, "文号年份错误，作废后重新制作")
                self.counts["voided"] += 1
            draft = self.record("decision", decision(number), sign=False, revise="content")
            if sign:
                if self.major:
                    self.legal_review()
                self.sign(draft)
            return draft

        opinion = lambda sign: self.record("handling_opinion", {  # noqa: E731
            "facts": f"当事人{what}。", "basis": basis, "evidence": "现场检查笔录、询问笔录、现场照片。",
            "discretion": "当事人初次违法，积极配合调查。",
            "proposal": f"责令改正，处罚款人民币{fine}元。", **(penalty if self.kind == Kind.PENALTY else {})},
            sign=sign, revise="proposal")
        if self.procedure == Procedure.SIMPLIFIED:
            return [make_decision]
        if self.kind == Kind.INSPECTION:
            return [opinion]
        steps = [opinion, lambda sign: self.penalty_notice(penalty, sign)]
        if self.rng.random() < 0.4:
            # A 法制审核意见 asked for though not required; a major case's is made by its 送审 (legal_review).
            steps.append(lambda sign: None if self.major else self.record("legal_review_record", {
                "matter": f"{title}案处理意见送审", "materials": "处理意见、现场检查笔录、询问笔录、行政处罚告知书。"},
                sign=sign))
        steps.append(lambda sign: self.record("leader_approval", {"matter": "处理意见"}, sign=sign))
        steps.append(make_decision)
        return steps

    @property
    def major(self) -> bool:
        """A 重大执法决定 (行政处罚法 58; the base profile's `major:`): here a fine of 10 000 yuan or more on a
        person — the legal review's own reading (legalreview.selectors.is_major) decides."""
        from liuhen.cases.models import Kind, Procedure
        from liuhen.legalreview.selectors import is_major

        return self.procedure == Procedure.GENERAL and self.kind == Kind.PENALTY and is_major(self.case)

    def legal_review(self) -> None:
        """法制审核 (LW-L 9-15): the handler concludes the case major and sends it (送审: the package of
        调查终结报告, 处理意见, draft decision, evidence and notice), the reviewer — qualified, 行政处罚法 58 —
        answers every point and agrees, signing the 法制审核意见 the submission made."""
        from liuhen.legalreview import services as review
        from liuhen.legalreview.selectors import REVIEW_POINTS, qualified

        reviewer = self.b.reviewer
        if qualified(reviewer) is None:
            review.record_qualification(self.b.sysadmin, reviewer, certificate_number="A20181100731",
                                        obtained_on=datetime.date(2018, 9, 1))
        review.assess(self.lead, self.case, major=True)
        sub = review.submit(self.lead, self.case, note="拟对自然人处以一万元以上罚款")
        review.review(reviewer, sub, points={pid: {"verdict": "符合规定", "note": ""} for pid, _ in REVIEW_POINTS},
                      outcome="同意", opinion="事实清楚，证据确凿，适用依据正确，程序合法，同意。")
        for key, n in (("records", 1), ("versions", 1), ("signatures", 1), ("legal_reviews", 1)):
            self.counts[key] += n

    def penalty_notice(self, penalty: dict, sign: bool):
        """行政处罚告知书 (行政处罚法 44), served on day 12; the decision (day 15) waits for the party's
        periods (44, 64: liuhen.rights) — long run, the cases being weeks old — or, in half the cases,
        for nothing: the party gives up its rights in a signed 放弃陈述申辩、听证权利声明."""
        title, what, basis = self.violation
        rec = self.record("penalty_notice", {
            "facts": f"当事人{what}。", "basis": basis, **penalty,
            "rights": "陈述、申辩；符合听证条件的，要求听证", "notified_at": self.dt(12, "10:00")}, sign=sign)
        if sign and self.rng.random() < 0.5:
            self.record("rights_waiver", {"waived": "陈述、申辩和听证", "waived_at": self.dt(12, "10:30")})
        return rec

    def steps_service(self):
        from liuhen.cases.models import Kind

        steps = [lambda sign: self.record("service_receipt", {
            "document": "责令整改通知书" if self.kind == Kind.INSPECTION else "行政处罚决定书",
            "method": "直接送达", "served_at": self.dt(17, "10:00"), "place": "本溪市水务局",
            "addressee": self.party, "receiver": self.party, "receiver_relation": "本人"}, sign=sign)]
        if self.rng.random() < 0.3:
            steps.append(lambda sign: self.record("performance_record", {
                "performed": "当事人已足额缴纳罚款并改正违法行为。", "checked_on": self.day(25)},
                sign=sign, revise="performed"))
        return steps

    def steps_archive(self):
        from liuhen.cases.models import Procedure

        steps = []
        if self.procedure == Procedure.GENERAL:
            steps.append(lambda sign: self.record("closing_report", {
                "summary": "本案事实清楚，证据充分，当事人已履行，建议结案归档。", "closed_on": self.day(32)},
                sign=sign, revise="summary"))
        steps.append(lambda sign: self.record("archive_register", {
            "file_count": self.case.records.count() + 1, "av_count": 2, "archived_on": self.day(35),
            "archivist": self.b.archivist.full_name}, sign=sign))
        return steps

    def sent_back(self) -> None:
        """审查决定 -> 调查取证 -> 审查决定 again (the decision's records are then made anew)."""
        from liuhen.cases import services as cases

        self.record("handling_opinion", {
            "facts": f"当事人{self.violation[1]}。", "basis": self.violation[2], "evidence": "现场检查笔录。",
            "discretion": "无。", "proposal": "责令改正。"})
        self.case = cases.send_back(self.lead, self.case, "取水量认定证据不足，退回补充调查。")
        self.record("evidence_request_notice", {
            "recipient": "国网本溪供电公司", "evidence": "当事人取水泵专用电表的用电记录。", "deadline": self.day(20)})
        self.advance("补充调查终结")
        self.counts["sent_back"] += 1

    def build(self) -> None:
        from liuhen.cases import services as cases
        from liuhen.cases.models import Kind, PartyKind, Procedure

        rng = self.rng
        title, what, _ = self.violation
        self.case = cases.open_case(self.lead, title=title, kind=self.kind, procedure=self.procedure,
                                    start_mode=self.start_mode, on_site=True, officers=self.team[1:],
                                    summary=f"当事人涉嫌{what}。")
        for _ in range(1 if self.kind == Kind.INSPECTION or rng.random() < 0.75 else 2):
            if rng.random() < 0.5:
                name = rng.choice(SURNAMES) + rng.choice(["", rng.choice(GIVEN)]) + rng.choice(GIVEN)
                party = dict(kind=PartyKind.PERSON, name=name, id_number=person_id(rng),
                             phone=f"139{rng.randrange(10 ** 8):08d}", address=f"本溪市{rng.choice(ORG_PLACES)}某村")
            else:
                place = rng.choice(ORG_PLACES)
                name = f"本溪市{place}{rng.choice(ORG_WORDS)}{rng.choice(ORG_TRADES)}（{self.i}）"
                party = dict(kind=PartyKind.ORGANISATION, name=name, id_number=credit_code(rng),
                             legal_representative=rng.choice(SURNAMES) + rng.choice(GIVEN),
                             phone=f"024-4{rng.randrange(10 ** 7):07d}", address=f"本溪市{place}工业园区")
            cases.add_party(self.lead, self.case, **party)
            self.parties.append(name)

        stages = [self.steps_start, self.steps_investigation, self.steps_decision, self.steps_service,
                  self.steps_archive]
        notes = ["立案审批完成", "调查终结", "决定已作出", "送达执行完毕", "归档"]
        for k, steps in enumerate(stages):
            if k == 2 and self.send_back and self.procedure == Procedure.GENERAL and self.kind != Kind.INSPECTION \
                    and k < self.done:
                self.sent_back()
            todo = steps()
            if k < self.done:
                for step in todo:
                    step(True)
                self.advance(notes[k])
                continue
            # The case stays in this stage: half of its work done, the last record not yet signed.
            half = todo[:max(1, len(todo) // 2)] if todo else []
            for n, step in enumerate(half):
                step(n < len(half) - 1)
            break
        if self.case.is_archived:
            self.counts["archived"] += 1
        # A few reads: the case by its lead and the unit head, a record or two by a team member.
        self.view(self.lead)
        self.view(self.head)
        recs = list(self.case.records.order_by("serial")[:3])
        for rec in rng.sample(recs, min(len(recs), rng.randrange(1, 3))):
            self.view(rng.choice(self.team), rec)


# ------------------------------------------------------------------------------ the measurement


def run_child(argv: list[str], env: dict, expect: str | None = None) -> dict:
    """Run argv as a fresh process; its wall time and its own rusage (os.wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=REPO)
        # Reaped with wait4, which gives this child's rusage alone (not the largest of all children).
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t
        proc.returncode = rc = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, errors = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    result = {"s": elapsed, "rss_mb": usage.ru_maxrss / 1024, "user_s": usage.ru_utime, "sys_s": usage.ru_stime,
              "rc": rc, "stdout": text, "stderr": errors}
    if rc != 0 or (expect is not None and expect not in text):
        raise SystemExit(f"{' '.join(argv)} failed (exit {rc}):\n{text[-3000:]}\n{errors[-3000:]}")
    return result


def best_of(argv, env, repeat: int, expect=None) -> dict:
    runs = [run_child(argv, env, expect) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["s"])
    return {**best, "rss_mb": max(r["rss_mb"] for r in runs), "runs": [round(r["s"], 3) for r in runs]}


BREAKDOWN = r"""
import json, time
import django
django.setup()
from liuhen.ledger import subjects, verify
times, mem = {}, {}
def rss_mb():
    try:
        with open("/proc/self/status") as f:
            return {k: int(v.split()[0]) / 1024 for k, v in (l.split(":", 1) for l in f) if k in ("VmRSS", "VmHWM")}
    except OSError:
        return {}
check_subjects = verify.check_subjects
def measured(events):
    mem["before_checkers"] = rss_mb()  # the leaves scanned, the domain events held
    try:
        return check_subjects(events)
    finally:
        mem["after_checkers"] = rss_mb()
verify.check_subjects = measured
def timed(name, fn):
    def wrapper(events):
        t = time.perf_counter()
        try:
            return fn(events)
        finally:
            times[name] = times.get(name, 0.0) + time.perf_counter() - t
    return wrapper
for name, fn in list(subjects._SUBJECTS.items()):
    subjects._SUBJECTS[name] = timed(name, fn)
t = time.perf_counter()
report = verify.verify_log()
total = time.perf_counter() - t
print(json.dumps({"ok": report.ok, "size": report.size, "total_s": total, "checkers_s": times, "mem": mem,
                  "findings": [str(f) for f in report.findings[:10]]}))
"""


def counts() -> dict:
    from liuhen.cases.models import Case, CaseOfficer, Party, StageTransition
    from liuhen.ledger.models import Checkpoint, LogState
    from liuhen.records.models import Attachment, Record, RecordVersion, Signature

    state = LogState.objects.filter(pk=1).first()
    return {"cases": Case.objects.count(), "parties": Party.objects.count(), "officers": CaseOfficer.objects.count(),
            "transitions": StageTransition.objects.count(), "records": Record.objects.count(),
            "versions": RecordVersion.objects.count(), "signatures": Signature.objects.count(),
            "attachments": Attachment.objects.count(), "entries": state.size if state else 0,
            "checkpoints": Checkpoint.objects.count()}


def db_mb(home: Path) -> float:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cur.fetchall()
    return (home / "liuhen.sqlite3").stat().st_size / 1e6


# ------------------------------------------------------------------------------------ output


def fmt(x, spec=".2f"):
    return "—" if x is None else format(x, spec)


def table(rows: list[list[str]], head: list[str]) -> str:
    widths = [max(len(str(r[k])) for r in rows + [head]) for k in range(len(head))]
    def line(r):
        return "  ".join(str(c).rjust(w) if k else str(c).ljust(w) for k, (c, w) in enumerate(zip(r, widths)))

    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(r) for r in rows])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="25 and 100 cases (< 30 s)")
    ap.add_argument("--sizes", type=parse_sizes,
                    help="numbers of cases, e.g. 300,1000,3000 (the default; one database, grown)")
    ap.add_argument("--repeat", type=int,
                    help="verify runs per size and mode, the fastest reported (default 2; quick 1)")
    ap.add_argument("--integrate-every", type=int, default=200,
                    help="integrate the ledger (one signed checkpoint) every this many cases (default 200)")
    ap.add_argument("--no-breakdown", action="store_true", help="skip the per-checker timing at the largest size")
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory (database, blobs, keys)")
    args = ap.parse_args(argv)

    quick = args.quick
    sizes = args.sizes or ([25, 100] if quick else [300, 1_000, 3_000])
    repeat = args.repeat or (1 if quick else 2)
    started = time.perf_counter()
    home = Path(tempfile.mkdtemp(prefix="liuhen-bench-verify-"))
    env = _env(home)
    liuhen = str(BIN / "liuhen")
    results, breakdown = [], None
    try:
        _setup_django(home)
        import django
        from liuhen.ledger.storage import integrate_all

        log(f"[setup] {home}  Django {django.get_version()}  sizes {','.join(map(str, sizes))} cases")
        builder = Builder(args.seed)
        t = time.perf_counter()
        builder.build_people()
        integrate_all()
        people_s = time.perf_counter() - t
        startup = best_of([liuhen, "verify", "--help"], env, 2)
        log(f"[people] {people_s:.1f} s; `liuhen verify --help` (start-up) {startup['s']:.2f} s")

        build_total = 0.0
        for n in sizes:
            t = time.perf_counter()
            first = builder.built
            while builder.built < n:
                builder.build_case(builder.built)
                if builder.built % args.integrate_every == 0:
                    integrate_all()
                if builder.built % 500 == 0 or builder.built == n:
                    rate = (builder.built - first) / (time.perf_counter() - t)
                    log(f"[build] {builder.built}/{n} cases, {rate:.1f} cases/s")
            integrate_all()
            build_s = time.perf_counter() - t
            build_total += build_s
            c = counts()
            size_mb = db_mb(home)
            log(f"[verify] {n} cases, {c['entries']} entries: liuhen verify --no-domain")
            plain = best_of([liuhen, "verify", "--no-domain"], env, repeat, expect="通过")
            log(f"[verify] {n} cases: liuhen verify ({plain['s']:.2f} s without the domain checks)")
            full = best_of([liuhen, "verify"], env, repeat, expect="通过")
            log(f"[verify] {n} cases: {full['s']:.2f} s, {full['rss_mb']:.0f} MB peak")
            results.append({"cases": n, **c, "verify_rc": full["rc"], "no_domain_rc": plain["rc"],
                            "added": n - first, "build_s": build_s,
                            "build_cases_per_s": (n - first) / build_s, "db_mb": size_mb,
                            "verify_s": full["s"], "verify_rss_mb": full["rss_mb"],
                            "verify_user_s": full["user_s"], "verify_runs": full["runs"],
                            "no_domain_s": plain["s"], "no_domain_rss_mb": plain["rss_mb"],
                            "no_domain_runs": plain["runs"],
                            "domain_s": full["s"] - plain["s"],
                            "domain_share": (full["s"] - plain["s"]) / full["s"],
                            "entries_per_s": c["entries"] / full["s"],
                            "no_domain_entries_per_s": c["entries"] / plain["s"]})
        if not args.no_breakdown:
            log(f"[breakdown] verify_log() with each domain checker timed, at {sizes[-1]} cases")
            r = run_child([sys.executable, "-c", BREAKDOWN], env)
            breakdown = json.loads(r["stdout"].strip().splitlines()[-1])
            if not breakdown["ok"]:
                raise SystemExit(f"verify_log reported findings: {breakdown['findings']}")
            breakdown["rss_mb"] = r["rss_mb"]
    finally:
        if args.keep:
            log(f"[keep] {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)
    total = time.perf_counter() - started

    # ------------------------------------------------------------------------------ report
    import sqlite3

    print(f"`liuhen verify` on realistic cases built through the services: SQLite {sqlite3.sqlite_version}, "
          f"Python {sys.version.split()[0]}, {'quick' if quick else 'full'} run, {total:.1f} s "
          f"(building {build_total:.1f} s)")
    print(f"Each verify: the `liuhen` console script in a fresh process; wall time spawn to exit; peak RSS = that "
          f"child's ru_maxrss (os.wait4). Start-up alone (`liuhen verify --help`): {startup['s']:.2f} s, "
          f"{startup['rss_mb']:.0f} MB.")
    print()
    rows = [[f"{r['cases']}", f"{r['records']}", f"{r['versions']}", f"{r['signatures']}", f"{r['attachments']}",
             f"{r['entries']}", f"{r['db_mb']:.0f}", f"{r['build_cases_per_s']:.1f}",
             fmt(r["verify_s"]), f"{r['entries_per_s']:.0f}", f"{r['verify_rss_mb']:.0f}",
             fmt(r["no_domain_s"]), f"{r['no_domain_entries_per_s']:.0f}", f"{r['no_domain_rss_mb']:.0f}",
             f"{100 * r['domain_share']:.0f} %"]
            for r in results]
    print(table(rows, ["cases", "records", "versions", "signatures", "attachments", "log entries", "db MB",
                       "built/s", "verify s", "entries/s", "peak MB", "--no-domain s", "entries/s", "peak MB",
                       "domain share"]))
    first, last = results[0], results[-1]
    rss_growth = last["verify_rss_mb"] / first["verify_rss_mb"]
    time_growth = last["verify_s"] / first["verify_s"]
    mb_per_1k = ((last["verify_rss_mb"] - first["verify_rss_mb"]) / (last["cases"] - first["cases"]) * 1000
                 if last["cases"] > first["cases"] else None)
    mb_per_1k_nd = ((last["no_domain_rss_mb"] - first["no_domain_rss_mb"]) / (last["cases"] - first["cases"]) * 1000
                    if last["cases"] > first["cases"] else None)
    print()
    print(f"From {first['cases']} to {last['cases']} cases ({last['cases'] / first['cases']:.1f}x): verify time "
          f"{time_growth:.2f}x, peak RSS {rss_growth:.2f}x ({fmt(mb_per_1k, '.1f')} MB more per 1 000 cases; "
          f"--no-domain {fmt(mb_per_1k_nd, '.1f')} MB per 1 000 cases)")
    if breakdown:
        parts = ", ".join(f"{k} {v:.2f} s" for k, v in sorted(breakdown["checkers_s"].items(), key=lambda kv: -kv[1]))
        print(f"Domain checkers at {last['cases']} cases (verify_log() in one process, {breakdown['total_s']:.2f} s in "
              f"all): {parts}")
        before, after = breakdown["mem"].get("before_checkers", {}), breakdown["mem"].get("after_checkers", {})
        if before and after:
            print(f"Memory of that process (VmRSS): {before['VmRSS']:.0f} MB when the leaves are scanned and the "
                  f"domain events held, before any checker runs; {after['VmHWM']:.0f} MB peak after the checkers "
                  f"(--no-domain peak: {last['no_domain_rss_mb']:.0f} MB)")

    keep = ("verify_rc", "no_domain_rc", "cases", "parties", "officers", "transitions", "records", "versions",
            "signatures", "attachments", "entries", "checkpoints", "added", "build_s", "build_cases_per_s", "db_mb",
            "verify_s", "verify_rss_mb", "verify_user_s", "no_domain_s", "no_domain_rss_mb", "domain_s",
            "domain_share", "entries_per_s", "no_domain_entries_per_s", "verify_runs", "no_domain_runs")
    result = {
        "sizes": {str(r["cases"]): {k: (round(r[k], 4) if isinstance(r[k], float) else r[k]) for k in keep}
                  for r in results},
        "startup_s": round(startup["s"], 4),
        "startup_rss_mb": round(startup["rss_mb"], 1),
        "rss_growth_first_to_max": round(rss_growth, 4),
        "rss_mb_per_1000_cases": None if mb_per_1k is None else round(mb_per_1k, 2),
        "no_domain_rss_mb_per_1000_cases": None if mb_per_1k_nd is None else round(mb_per_1k_nd, 2),
        "verify_time_growth_first_to_max": round(time_growth, 4),
        "cases_growth_first_to_max": last["cases"] / first["cases"],
        "domain_share": {str(r["cases"]): round(r["domain_share"], 4) for r in results},
        "checkers_s": None if breakdown is None else {k: round(v, 4) for k, v in breakdown["checkers_s"].items()},
        "checkers_total_verify_s": None if breakdown is None else round(breakdown["total_s"], 4),
        "checkers_rss_mb": None if breakdown is None else {
            "before_checkers": breakdown["mem"].get("before_checkers", {}).get("VmRSS"),
            "peak_after_checkers": breakdown["mem"].get("after_checkers", {}).get("VmHWM")},
        "build": {"people_s": round(people_s, 3), "cases_s": round(build_total, 3), "counts": builder.counts},
        "rss_measure": "os.wait4 ru_maxrss of the child (KiB/1024)",
        "quick": quick,
        "seconds": round(total, 2),
    }
    print(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
