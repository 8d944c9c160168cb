"""我的待办 — each role's to-do list on their first page (issue 15 item 5):

- 待我签字 (执法人员): records of the officer's own open cases still lacking officers' signatures
  that they have not given (LQ 17: the officers of an act sign its record);
- 待确认拒签 (执法人员): a party's refusal to sign recorded by one officer of the case and waiting
  for a second officer's confirmation (LQ 17: a refusal stands once two officers confirm it);
- 待审核 (法制审核人员): records waiting for the reviewer's signature (LW-L 15);
- 待审批 (承办机构负责人, 机关负责人): records waiting for a 负责人's signature (行政处罚法 57), and
  copy requests of evidence waiting for approval (LW-D 15) for whoever approves them;
- 待归档 (档案管理员): cases in 归档管理 whose 归档登记表 waits for the archivist (BX 11, LC 31, LQ 28);
- 期限: deadlines of the user's cases due within N working days (LIUHEN_TODO_DUE_DAYS), overdue
  ones first and in red, and those the working-day calendar cannot compute (shown as unknown).

Each item links to the page where it is done. Everything is computed from the rows that decide it
(records.selectors: the same state the signing services check), never stored."""
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from liuhen.accounts.roles import Role

from . import selectors


@dataclass
class Item:
    title: str
    detail: str
    url: str
    case: object = None
    badge: str = ""
    badge_class: str = "badge-warn"
    red: bool = False


@dataclass
class Section:
    key: str
    title: str
    basis: str
    items: list = field(default_factory=list)
    empty: str = "暂无。"


@dataclass
class TodoList:
    sections: list
    window: int

    @property
    def count(self) -> int:
        return sum(len(s.items) for s in self.sections)

    def section(self, key):
        return next((s for s in self.sections if s.key == key), None)


def _when(value) -> str:
    """A time as the agency reads it (local time), as the templates' date filter shows it."""
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def _record_item(st, detail: str = "") -> Item:
    r = st.record
    return Item(title=r.record_type.name, url=reverse("records:detail", args=[r.pk]), case=r.case,
                detail=detail or f"{r.created_by.display_name} · {_when(r.created_at)}",
                badge=st.status_label, badge_class="badge-bad" if st.refusals else "badge-signing")


def officer_signatures(user) -> list[Item]:
    """待我签字: not-voided records of the officer's open cases that lack officers' signatures, not
    yet signed by this officer, not refused by a 负责人 (those are voided and made anew)."""
    from liuhen.records.models import Outcome, Record, SignerRole
    from liuhen.records.selectors import states_of

    if not user.has_role(Role.OFFICER):
        return []
    qs = (Record.objects.filter(case__officers__officer=user, case__archived_at__isnull=True, void__isnull=True)
          .distinct()
          .order_by("-created_at")[:300])
    out = []
    for st in states_of(qs):
        signed = {s.signer_id for s in st.record.signatures.all()
                  if s.role == SignerRole.OFFICER and s.outcome == Outcome.SIGNED}
        if st.voided or st.refusals or len(signed) >= st.rule.officers or user.pk in signed:
            continue
        out.append(_record_item(st, f"还差 {st.rule.officers - len(signed)} 名执法人员签字 · "
                                    f"{st.record.created_by.display_name} · {_when(st.record.created_at)}"))
    return out


def refusals_to_confirm(user) -> list[Item]:
    """待确认拒签 (LQ 17): refusals to sign on the officer's open cases with fewer than two
    confirmations, which this officer has not confirmed (the recording officer is the first)."""
    from django.db.models import Count

    from liuhen.records.models import Outcome, Signature
    from liuhen.records.selectors import MIN_REFUSAL_CONFIRMATIONS

    if not user.has_role(Role.OFFICER):
        return []
    sigs = (Signature.objects.filter(outcome=Outcome.REFUSED, record__case__officers__officer=user,
                                     record__case__archived_at__isnull=True, record__void__isnull=True)
            .exclude(confirmations__officer=user)
            .annotate(n=Count("confirmations", distinct=True))
            .filter(n__lt=MIN_REFUSAL_CONFIRMATIONS)
            .select_related("record__record_type", "record__case", "recorded_by").distinct().order_by("-signed_at"))
    return [Item(title=f"{s.record.record_type.name}：{s.get_role_display()}拒绝签字", case=s.record.case,
                 url=reverse("records:detail", args=[s.record_id]),
                 detail=f"{s.recorded_by.display_name} 记录于 {_when(s.signed_at)}，已有 {s.n} 名执法人员确认，"
                        f"须 {MIN_REFUSAL_CONFIRMATIONS} 名",
                 badge="待确认", badge_class="badge-warn")
            for s in sigs[:100]]


def capacity_items(user) -> dict[str, list[Item]]:
    """The records waiting for the user's signature as 负责人 / 法制审核人员 / 档案管理员 — the
    records app's own list (待我签批), split by capacity."""
    from liuhen.records.models import SignerRole
    from liuhen.records.selectors import awaiting_my_signature, involved_cases, signable_capacity

    states = awaiting_my_signature(user)
    on = involved_cases(user, {st.record.case_id for st in states})
    out = {SignerRole.LEADER: [], SignerRole.REVIEWER: [], SignerRole.ARCHIVIST: []}
    for st in states:
        for capacity in out:
            if capacity in st.lacking and signable_capacity(user, st, capacity, involved_in=on):
                out[capacity].append(_record_item(st))
                break
    return out


def copy_requests(user) -> tuple[list[Item], list[Item]]:
    """Copy requests waiting for the user's approval (LW-D 15), and approved ones waiting for the
    user's office to make them (LW-D 13)."""
    from liuhen.copies import checks
    from liuhen.copies.selectors import listing

    approve = user.has_role(*checks.approve_roles(user.agency_id))
    make = user.has_role(*checks.maker_roles(user.agency_id))
    if not (approve or make):
        return [], []
    pending, to_make = [], []
    for r in listing(user):
        item = Item(title=f"证据复制申请：{r.receiver_name}", case=r.case, url=reverse("copies:detail", args=[r.pk]),
                    detail=f"{r.requested_by.display_name} 申请于 {_when(r.requested_at)} · {r.purpose}",
                    badge=r.status_label, badge_class=r.status_badge)
        if approve and r.status_code == "pending":
            pending.append(item)
        elif make and r.status_code == "approved":
            to_make.append(item)
    return pending, to_make


def archive_items(user, signing: list[Item]) -> list[Item]:
    """待归档 (档案管理员): the agency's cases in 归档管理 not yet received — with a 归档登记表 to
    sign (from `signing`), or still waiting for the officers to draft it."""
    from liuhen.cases.models import Case, Stage
    from liuhen.records.models import Record

    if not user.has_role(Role.ARCHIVIST):
        return []
    cases = list(Case.objects.filter(agency_id=user.agency_id, stage=Stage.ARCHIVE, archived_at__isnull=True)
                 .select_related("unit").order_by("created_at"))
    drafted = set(Record.objects.filter(case__in=cases, record_type__code="archive_register", void__isnull=True)
                  .values_list("case_id", flat=True))
    ready = {i.case.pk for i in signing}
    out = list(signing)
    for c in cases:
        if c.pk in ready:
            continue
        out.append(Item(title="归档登记表" + ("待签收" if c.pk in drafted else "尚未制作"), case=c,
                        url=reverse("cases:detail", args=[c.pk]),
                        detail=f"{c.unit.name} · 承办人员{'已制作，尚缺其他签字' if c.pk in drafted else '尚未制作归档登记表'}",
                        badge="待承办人员" if c.pk not in drafted else "签字中", badge_class="badge-current"))
    return out


def deadline_items(user, now=None) -> list[Item]:
    out = []
    for cv in selectors.my_deadlines(user, now):
        c = cv.clock
        out.append(Item(title=f"{c.label}（{c.period}）", case=c.case, url=reverse("cases:detail", args=[c.case_id]),
                        detail=f"{cv.remaining} · 依据 {c.article}" if c.article else cv.remaining,
                        badge=cv.label, badge_class=cv.badge, red=cv.overdue))
    return out


def todo_for(user, now=None) -> TodoList:
    """The to-do list of `user`: only the sections of the roles they hold."""
    from liuhen.records.models import SignerRole

    window = selectors.due_days()
    sections = []
    if not selectors.works_cases(user):
        return TodoList([], window)
    if user.has_role(Role.OFFICER):
        sections.append(Section("sign", "待我签字", "LQ 17", officer_signatures(user)))
        sections.append(Section("refusals", "待确认拒签", "LQ 17", refusals_to_confirm(user)))
    cap = capacity_items(user)
    if user.has_role(Role.LEGAL_REVIEWER):
        sections.append(Section("review", "待审核", "LW-L 15", cap[SignerRole.REVIEWER]))
    pending, to_make = copy_requests(user)
    if user.has_role(Role.UNIT_HEAD, Role.AGENCY_HEAD) or pending:
        sections.append(Section("approve", "待审批", "行政处罚法 57, LW-D 15", cap[SignerRole.LEADER] + pending))
    if user.has_role(Role.ARCHIVIST):
        sections.append(Section("archive", "待归档", "BX 11, LC 31, LQ 28",
                                archive_items(user, cap[SignerRole.ARCHIVIST])))
    if to_make:
        sections.append(Section("copies", "待制作证据复制", "LW-D 13", to_make))
    sections.append(Section("deadlines", f"期限（{window} 个工作日内到期及已逾期）", "",
                            deadline_items(user, now), empty="近期没有到期的期限。"))
    return TodoList(sections, window)


def log_detail(todo: TodoList) -> dict:
    """What the to-do page showed, for its read event: counts per section and the case ids."""
    cases = sorted({i.case.pk for s in todo.sections for i in s.items if i.case is not None})
    return {"sections": {s.key: len(s.items) for s in todo.sections}, "cases": cases[:200]}
