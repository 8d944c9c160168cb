"""Grows the data to N cases for bench/load.py: realistic cases written through the services.

The people are bench/verify.py's (its Builder: an agency, three units, heads, twelve certified
officers, agency head, legal reviewer, archivist); the cases walk the stages as the test helpers do
(liuhen/testing/cases.py: to_archived) with the parties, texts and spread of GrownCase — so every
row carries the ledger events its service logs and `liuhen verify` passes after growth (bench/load.py
checks it). They are opened in an agency of their own beside the demo's (several agencies on one
instance, issue 21): the demo's agency works under the BX profile, whose audio-video rules (BX 7)
ask for footage that generated cases do not have; the bench agency is on the packaged base profile.

It needs Django set up against the target database.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import verify as verify_bench  # noqa: E402  (bench/verify.py: its people builder and names, reused)


AGENCY_NAME = "本溪市水务局（压测）"
AGENCY_SHORT = "溪压"
LOGIN_USER = "fazhi"  # the bench agency's 法制审核人员: sees every case of the agency
LOGIN_PASSWORD = "Liuhen-load-2026"


class Grower(verify_bench.Builder):
    """bench/verify.py's builder: its agency (named AGENCY_NAME, on the packaged base profile), its
    people (sysadmin, juzhang, fazhi, dangan, head0-2, officer00-23), then its cases."""

    def build_people(self, login: bool = True) -> None:
        """The agency and its people, or those made by an earlier run on this database (its login
        password checked unless `login` is false: a growth process forked after the check)."""
        from liuhen.accounts import services as acc
        from liuhen.accounts.models import Agency, User

        self.agency = Agency.objects.filter(name=AGENCY_NAME).first()
        if self.agency is not None:
            people = {u.username: u for u in User.objects.filter(agency=self.agency)}
            self.sysadmin, self.agency_head = people["sysadmin"], people["juzhang"]
            self.reviewer, self.archivist = people["fazhi"], people["dangan"]
            self.teams = [(people[f"head{u}"].unit, people[f"head{u}"],
                           [people[f"officer{u}{k}"] for k in range(self.OFFICERS_PER_UNIT)])
                          for u in range(len(self.UNITS))]
            if login and not self.reviewer.check_password(LOGIN_PASSWORD):
                self.set_login_password(self.reviewer)
            return

        create_agency, issue_certificate = acc.create_agency, acc.issue_certificate
        # bench/verify.py names its agency and numbers its 执法证 like the demo's: these get their own.
        acc.create_agency = lambda actor, **kw: create_agency(
            actor, **{**kw, "name": AGENCY_NAME, "short_name": AGENCY_SHORT})
        acc.issue_certificate = lambda actor, user, *, number, **kw: issue_certificate(
            actor, user, number=number.replace("辽B2105", "辽B2199", 1), **kw)
        try:
            super().build_people()
        finally:
            acc.create_agency, acc.issue_certificate = create_agency, issue_certificate
        self.set_login_password(User.objects.get(username=LOGIN_USER, agency=self.agency))

    @staticmethod
    def set_login_password(user) -> None:
        """bench/verify.py hashes its people's passwords with MD5, which no server accepts: the account the
        bench logs in with changes its own password (as on 修改密码: the hash with the configured hasher,
        its ledger entry) to LOGIN_PASSWORD."""
        from django.contrib.auth.password_validation import validate_password
        from django.db import transaction

        from liuhen.accounts import services as acc

        with transaction.atomic():
            validate_password(LOGIN_PASSWORD, user)
            user.set_password(LOGIN_PASSWORD)
            user.save(update_fields=["password"])
            acc.password_changed_by_owner(user)

    def grown_case(self, i: int) -> "GrownCase":
        import random

        return GrownCase(self, i, random.Random(self.seed * 1_000_003 + i))

    def build_case(self, i: int, opened: int | None = None) -> None:
        """Case i, opened here or (`opened`: its pk) already opened by open_case(i) in another process:
        the same case either way (opening draws nothing from its random numbers)."""
        from django.db import transaction

        from liuhen.cases.models import Case

        case = self.grown_case(i)
        # Opened in a transaction of its own: open_case holds the agency's case-number counter
        # (select_for_update) until its commit — held for the whole case, it would make the growth
        # processes take turns. The rest of the case is one transaction (one commit).
        if opened is None:
            case.open()
        else:
            case.case = Case.objects.get(pk=opened)
        with transaction.atomic():
            case.build()
        self.built += 1

    def open_case(self, i: int) -> int:
        """Only open case i (its pk): build_case(i, opened=pk) builds the rest."""
        case = self.grown_case(i)
        case.open()
        return case.case.pk


# The stages a grown case goes through (the path liuhen/testing/cases.py walks: to_archived), each a
# list of record types made complete, then the note of the stage's end.
STAGES = [(["start_approval"], "立案审批完成"),
          (["rights_notice", "inspection_record", "inquiry_record"], "调查终结"),
          (["handling_opinion", "leader_approval", "decision"], "决定已作出"),
          (["service_receipt"], "送达执行完毕"),
          (["closing_report", "archive_register"], "归档")]


class GrownCase:
    """One case drawn from `rng`: 1-2 parties (people with GB 11643 numbers, companies with GB 32100
    codes), two officers, 60 % archived and the others left in a stage with half its records made;
    every record complete as its type's rule asks (content: liuhen.testing.cases.fill with the case's
    own facts), one in five revised once before signing; each act that needs audio-video recording
    covered by an approved 不适宜音像记录说明 (AS 8) before its stage is left; a few reads."""

    TEXTS = {"reason": 1, "findings": 1, "facts": 1, "content": 0, "summary": 0, "proposal": 2}

    def __init__(self, b: Grower, i: int, rng):
        self.b, self.i, self.rng = b, i, rng
        unit, self.head, officers = b.teams[i % len(b.teams)]
        k = (i // len(b.teams)) % len(officers)
        self.team = [officers[k], officers[(k + 1 + rng.randrange(len(officers) - 1)) % len(officers)]]
        self.done = 5 if rng.random() < 0.6 else rng.randrange(5)
        self.violation = rng.choice(verify_bench.VIOLATIONS)
        self.parties: list[str] = []

    def text(self, field: str) -> str:
        title, what, basis = self.violation
        return [f"当事人{what}。", f"当事人涉嫌{what}，违反{basis}。", "责令改正违法行为。"][self.TEXTS[field]]

    def record(self, code: str, *, sign: bool = True):
        from liuhen.records import services as records
        from liuhen.testing.cases import fill
        from liuhen.testing.signing import sign_as_rule_asks

        rt, counts = self.b.types[code], self.b.counts
        data = {**fill(rt), **{f: self.text(f) for f in self.TEXTS if any(s["name"] == f for s in rt.fields)}}
        rec = records.create_record(self.team[0], self.case, rt, data)
        counts["records"] += 1
        counts["versions"] += 1
        text_fields = [s["name"] for s in rt.fields if s["type"] == "textarea"]
        if text_fields and self.rng.random() < 0.2:
            field = text_fields[0]
            revised = {**data, field: data[field] + "\n经核对补充：以上情况已与当事人现场确认。"}
            records.revise_record(self.team[0], rec, revised, "补充核对情况")
            counts["versions"] += 1
        if sign:
            counts["signatures"] += sign_as_rule_asks(
                rec, officers=self.team, party_name=self.parties[0], unit_head=self.head,
                agency_head=self.b.agency_head, reviewer=self.b.reviewer, archivist=self.b.archivist)
        return rec

    def add_party(self) -> None:
        from liuhen.cases import services as cases
        from liuhen.cases.models import PartyKind

        rng, places = self.rng, verify_bench.ORG_PLACES
        if rng.random() < 0.5:
            name = rng.choice(verify_bench.SURNAMES) + rng.choice(verify_bench.GIVEN) + rng.choice(verify_bench.GIVEN)
            party = dict(kind=PartyKind.PERSON, name=name, id_number=verify_bench.person_id(rng),
                         phone=f"139{rng.randrange(10 ** 8):08d}", address=f"本溪市{rng.choice(places)}某村")
        else:
            place = rng.choice(places)
            name = (f"本溪市{place}{rng.choice(verify_bench.ORG_WORDS)}{rng.choice(verify_bench.ORG_TRADES)}"
                    f"（{self.i}）")
            party = dict(kind=PartyKind.ORGANISATION, name=name, id_number=verify_bench.credit_code(rng),
                         legal_representative=rng.choice(verify_bench.SURNAMES) + rng.choice(verify_bench.GIVEN),
                         phone=f"024-4{rng.randrange(10 ** 7):07d}", address=f"本溪市{place}工业园区")
        cases.add_party(self.team[0], self.case, **party)
        self.parties.append(name)

    def open(self) -> None:
        from liuhen.cases import services as cases
        from liuhen.cases.models import Kind, Procedure, StartMode

        title, what, _ = self.violation
        self.case = cases.open_case(self.team[0], title=title, kind=Kind.PENALTY, procedure=Procedure.GENERAL,
                                    start_mode=StartMode.EX_OFFICIO, on_site=True, officers=self.team[1:],
                                    summary=f"当事人涉嫌{what}。")

    def build(self) -> None:
        from liuhen.cases import services as cases
        from liuhen.demo.av import NOTE_CODES, cover_missing

        for _ in range(1 if self.rng.random() < 0.75 else 2):
            self.add_party()
        for k, (codes, note) in enumerate(STAGES):
            if k == self.done:  # the case stays here: half its records made, the last not yet signed
                half = codes[:max(1, len(codes) // 2)]
                for n, code in enumerate(half):
                    self.record(code, sign=n < len(half) - 1)
                break
            for code in codes:
                self.record(code)
            if self.case.stage in NOTE_CODES:  # only 调查取证 and 送达执行 have acts that need footage (AS 8)
                self.b.counts["records"] += len(cover_missing(self.case, self.team, self.head))
            self.case = cases.advance(self.team[0], self.case, note)
        if self.case.is_archived:
            self.b.counts["archived"] += 1
        cases.log_view(self.team[0], self.case)
        cases.log_view(self.head, self.case)
        self.b.counts["views"] += 2


def grow(target: int, *, seed: int = 21, integrate_every: int = 0, procs: int = 1, log=None) -> dict:
    """Open cases in the bench agency (made first) until the database holds `target` cases, in `procs`
    processes (forked; each its own connection and its share of the cases). With `integrate_every` the
    ledger is integrated here every so many cases (one process only) and at the end (0: the stack's
    integrator does it). Returns the counts and the seconds taken."""
    from liuhen.cases.models import Case
    from liuhen.ledger import storage

    grower = Grower(seed)
    t = time.perf_counter()
    grower.build_people()
    start = Case.objects.count()
    todo = max(0, target - start)
    if procs > 1 and todo > procs:
        # The first case opened here: it makes the agency's case-number counter, which two processes
        # would both try to create; a growth process builds the rest of it.
        first = grower.open_case(0)
        for counts in _in_processes(seed, procs, range(todo), t, start, target, log, opened={0: first}):
            grower.built += counts.pop("built")
            for key, n in counts.items():
                grower.counts[key] += n
    else:
        for i in range(todo):
            grower.build_case(i)
            if integrate_every and (i + 1) % integrate_every == 0:
                storage.integrate_all()
            if log and (i + 1) % 100 == 0:
                log(f"  grown {start + i + 1}/{target} cases ({time.perf_counter() - t:.0f} s)")
    if integrate_every:
        storage.integrate_all()
    return {"agency": grower.agency.pk, "cases_before": start, "cases": Case.objects.count(),
            "built": grower.built, "grow_s": round(time.perf_counter() - t, 1), **grower.counts}


def _in_processes(seed: int, procs: int, indexes: range, t: float, start: int, target: int, log,
                  opened: dict[int, int]) -> list[dict]:
    """Build the cases `indexes` in `procs` forked processes (case i in process i % procs), those in
    `opened` (index: pk) opened already; their counts."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's socket
    with multiprocessing.get_context("fork").Pool(procs) as pool:
        jobs = [pool.apply_async(_grow_share, (seed, list(indexes[k::procs]), k == 0 and log is not None, opened))
                for k in range(procs)]
        out = [job.get() for job in jobs]
    if log:
        log(f"  grown {target}/{target} cases in {procs} processes ({time.perf_counter() - t:.0f} s)")
    return out


def _grow_share(seed: int, indexes: list[int], report: bool, opened: dict[int, int]) -> dict:
    """One growth process: the people made by the parent, the cases `indexes` (`opened`: see
    _in_processes)."""
    from django.db import connections

    grower = Grower(seed)
    grower.build_people(login=False)  # PBKDF2: checked (or set) by the parent
    t = time.perf_counter()
    try:
        for n, i in enumerate(indexes, 1):
            grower.build_case(i, opened.get(i))
            if report and n % 50 == 0:
                print(f"  process 1: {n}/{len(indexes)} cases ({time.perf_counter() - t:.0f} s)", file=sys.stderr,
                      flush=True)
    finally:
        connections.close_all()
    return {"built": grower.built, **grower.counts}
