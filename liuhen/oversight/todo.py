"""我的待办 — each role's to-do list on their first page (issue 15 item 5):

- 待我签字 (执法人员): records of the officer's own open cases still lacking officers' signatures
  that they have not given (LQ 17: the officers of an act sign its record);
- 待确认拒签 (执法人员): a party's refusal to sign recorded by one officer of the case and waiting
  for a second officer's confirmation (LQ 17: a refusal stands once two officers confirm it);
- 待缴罚款 (执法人员): the unpaid fines of their cases in 送达执行, with the due date and the computed
  late fine (行政处罚法 67, 72); applications to defer or pay in instalments go to the approver's 待审批;
- 待补充材料 (执法人员): the legal reviewer's requests for materials on the officer's cases, not yet
  answered (LW-L 11);
- 待审核 (法制审核人员): the legal review's open 送审 of the agency's cases the reviewer did not work
  on, with the review clock's due date (LW-L 16: red once overdue, paused while waiting for
  materials), and other records waiting for the reviewer's signature (LW-L 15);
- 待审批 (承办机构负责人, 机关负责人): records waiting for a 负责人's signature (行政处罚法 57), requests to
  extend a legal review and disagreements awaiting the collective discussion's ruling for the roles the
  profile names (legal_review.extension_roles, ruling_roles: LW-L 16, 17), and copy requests of
  evidence waiting for approval (LW-D 15) for whoever approves them;
- 待审批的调阅申请 (the roles the profile's archive: section names): 调用单 of archived case files waiting
  for the user's approval (LW-D 15, AS 15);
- 待归档 (档案管理员): cases in 归档管理 whose 归档登记表 waits for the archivist (BX 11, LC 31, LQ 28);
- 期限: deadlines of the user's cases due within N working days (LIUHEN_TODO_DUE_DAYS), overdue
  ones first and in red, and those the working-day calendar cannot compute (shown as unknown).

Each item links to the page where it is done (a legal review's: `legalreview:detail`, its literal
path /legalreview/<id>/ while that page is not installed). Everything is computed from the rows that decide it
(records.selectors: the same state the signing services check), never stored."""
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from liuhen.accounts.roles import Role

from . import selectors
from .finding_models import ClockStatus


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
    records app's own list (待我签批), split by capacity; a 送审's 法制审核意见 record is signed by
    reviewing it (review_items), not listed as a record."""
    from liuhen.legalreview.models import Submission
    from liuhen.records.models import SignerRole
    from liuhen.records.selectors import awaiting_my_signature, involved_cases, signable_capacity

    states = awaiting_my_signature(user)
    on = involved_cases(user, {st.record.case_id for st in states})
    reviewed_by_page = set(Submission.objects.filter(record_id__in=[st.record.pk for st in states])
                           .values_list("record_id", flat=True)) if states else set()
    out = {SignerRole.LEADER: [], SignerRole.REVIEWER: [], SignerRole.ARCHIVIST: []}
    for st in states:
        for capacity in out:
            if capacity == SignerRole.REVIEWER and st.record.pk in reviewed_by_page:
                continue
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


# ---- the legal review (重大执法决定法制审核, issue 17) ----------------------------------------------------

def review_url(submission_id: int) -> str:
    """The legal review's page of a 送审 (the legalreview app's `legalreview:detail`); its literal
    path while that page is not installed."""
    try:
        return reverse("legalreview:detail", args=[submission_id])
    except NoReverseMatch:
        return f"/legalreview/{submission_id}/"


def _open_cases_q(prefix: str, user) -> dict:
    return {f"{prefix}case__agency_id": user.agency_id, f"{prefix}case__archived_at__isnull": True}


def _latest(qs):
    """The submissions of `qs` that are their case's latest (an earlier pass's stays unreviewed)."""
    from liuhen.legalreview.models import Submission

    return qs.filter(~Exists(Submission.objects.filter(case_id=OuterRef("case_id"), pk__gt=OuterRef("pk"))))


def _due_text(clock) -> str:
    if clock is None:
        return "本机关未规定审核期限"
    if clock.status == ClockStatus.PAUSED:
        return "等待补充材料，暂停计时（LW-L 11）"
    if clock.due_at is None:
        return "审核期限无法计算（工作日历缺少该年度）"
    done = "已逾期，应于" if clock.status == ClockStatus.OVERDUE else "应于"
    return f"{done} {timezone.localtime(clock.due_at):%Y-%m-%d} 前审结（{clock.period}）"


def review_items(user, now=None) -> list[Item]:
    """待审核 (LW-L 13-16): the open 送审 (not reviewed, their case's latest) of the agency's open
    cases the reviewer did not work on, oldest first, each with its clock (clocks.submission_clock,
    the facts read set-based): due date, red once overdue, paused while waiting for materials."""
    from liuhen.legalreview.models import Submission
    from liuhen.profiles.selectors import profile_for_case
    from liuhen.records.selectors import involved_cases

    from .clocks import submission_clock
    from .facts import review_facts

    if not user.has_role(Role.LEGAL_REVIEWER):
        return []
    now = now or timezone.now()
    subs = list(_latest(Submission.objects.filter(review__isnull=True, **_open_cases_q("", user)))
                .select_related("case", "submitted_by").order_by("submitted_at", "pk")[:200])
    on = involved_cases(user, {s.case_id for s in subs})
    subs = [s for s in subs if s.case_id not in on]
    facts = review_facts((), submission_ids=[s.pk for s in subs])
    labels = dict(ClockStatus.choices)
    out = []
    for sub in subs:
        clock = submission_clock(facts[sub.case_id], profile_for_case(sub.case), now)
        overdue = clock is not None and clock.status == ClockStatus.OVERDUE
        out.append(Item(title="重大执法决定法制审核", case=sub.case, url=review_url(sub.pk),
                        detail=f"{sub.submitted_by.display_name} 送审于 {_when(sub.submitted_at)} · {_due_text(clock)}",
                        badge=labels[clock.status] if clock is not None else "待审核",
                        badge_class="badge-bad" if overdue else "badge-signing", red=overdue))
    return out


def head_items(user) -> list[Item]:
    """For the heads the profile names: requests to extend a review (LW-L 16: extension_roles) and
    disagreements with a review awaiting the decision after collective discussion (LW-L 17:
    ruling_roles), on the agency's open cases the head did not work on."""
    from liuhen.legalreview.models import Disagreement, ExtensionRequest
    from liuhen.profiles.selectors import profile_for_case
    from liuhen.records.selectors import involved_cases

    extensions = list(ExtensionRequest.objects.filter(decision__isnull=True, submission__review__isnull=True,
                                                      **_open_cases_q("submission__", user))
                      .select_related("submission__case", "requested_by").order_by("requested_at")[:100])
    disagreements = list(Disagreement.objects.filter(ruling__isnull=True, **_open_cases_q("review__submission__", user))
                         .select_related("review__submission__case", "raised_by").order_by("raised_at")[:100])
    on = involved_cases(user, {e.submission.case_id for e in extensions}
                        | {d.review.submission.case_id for d in disagreements})
    out = []
    for e in extensions:
        case = e.submission.case
        if case.pk in on or not user.has_role(*profile_for_case(case).legal_review.extension_roles):
            continue
        out.append(Item(title="延长法制审核期限申请", case=case, url=review_url(e.submission_id),
                        detail=f"{e.requested_by.display_name} 申请于 {_when(e.requested_at)} · {e.reason}",
                        badge="待审批", badge_class="badge-warn"))
    for d in disagreements:
        sub = d.review.submission
        if sub.case_id in on or not user.has_role(*profile_for_case(sub.case).legal_review.ruling_roles):
            continue
        out.append(Item(title="法制审核意见分歧：待集体讨论决定", case=sub.case, url=review_url(sub.pk),
                        detail=f"审核结论“{d.review.outcome}”，{d.raised_by.display_name} 于 {_when(d.raised_at)} "
                               f"提出不同意见",
                        badge="待决定", badge_class="badge-warn"))
    return out


def material_items(user) -> list[Item]:
    """待补充材料 (LW-L 11): the reviewer's unanswered requests on the officer's open cases; red
    once the date to supply them has passed."""
    from liuhen.legalreview.models import MaterialRequest

    if not user.has_role(Role.OFFICER):
        return []
    today = timezone.localdate()
    reqs = (MaterialRequest.objects.filter(answer__isnull=True, submission__review__isnull=True,
                                           submission__case__officers__officer=user,
                                           submission__case__archived_at__isnull=True)
            .select_related("submission__case", "requested_by").distinct().order_by("due_on", "pk")[:100])
    return [Item(title="法制审核要求补充材料", case=r.submission.case, url=review_url(r.submission_id),
                 detail=f"{r.requested_by.display_name} 要求于 {r.due_on:%Y-%m-%d} 前补充：{r.what}",
                 badge="已逾期" if r.due_on < today else "待补充",
                 badge_class="badge-bad" if r.due_on < today else "badge-warn", red=r.due_on < today)
            for r in reqs]


def payment_items(user) -> tuple[list[Item], list[Item]]:
    """(待缴罚款 for the officer: the unpaid fines of their cases in 送达执行 with the due date and the
    computed late fine, red once overdue — 行政处罚法 67, 72; applications to defer or pay in
    instalments awaiting the user's approval — 行政处罚法 66), from execution.selectors.due_payments."""
    from liuhen.execution.selectors import due_payments, yuan

    fines, deferrals = [], []
    for it in due_payments(user):
        url = reverse("cases:detail", args=[it["case"].pk])
        if it["kind"] == "payment":
            a = it["account"]
            late = f" · 加处罚款（计算值）{yuan(a.late_fine)} 元" if a.late_fine else ""
            due = f"应于 {a.due_on:%Y-%m-%d} 前缴纳" if a.due_on else "决定书尚未送达"
            fines.append(Item(title=f"罚款未缴 {yuan(a.balance)} 元", case=it["case"], url=url, detail=due + late,
                              badge="已逾期" if a.overdue_days else "待缴纳",
                              badge_class="badge-bad" if a.overdue_days else "badge-warn", red=bool(a.overdue_days)))
        else:
            r = it["request"]
            deferrals.append(Item(title=f"{r.get_kind_display()}缴纳罚款申请", case=it["case"], url=url,
                                  detail=f"{r.requested_by.display_name} 登记于 {_when(r.requested_at)}：{r.reason}",
                                  badge="待审批", badge_class="badge-warn"))
    return fines, deferrals


def property_items(user) -> list[Item]:
    """涉案财物处理 awaiting the user's approval (LQ 13, 行政强制法 27: caseproperty.selectors.awaiting_decision)."""
    from liuhen.caseproperty.selectors import awaiting_decision

    return [Item(title=f"涉案财物{r.get_kind_display()}申请（{len(r.item_ids)}项）", case=r.case,
                 url=reverse("cases:detail", args=[r.case_id]) + "#caseproperty",
                 detail=f"{r.requested_by.display_name} 申请于 {_when(r.requested_at)}：{r.reason}",
                 badge="待审批", badge_class="badge-warn")
            for r in awaiting_decision(user)]


def retrieval_items(user) -> list[Item]:
    """调用单 awaiting the user's approval (LW-D 15, AS 15: liuhen.retrieval.selectors.awaiting_decision)."""
    from liuhen.retrieval.selectors import awaiting_decision

    return [Item(title=f"{r.get_kind_display()}调用单 {r.number}", case=r.case,
                 url=reverse("retrieval:detail", args=[r.pk]),
                 detail=f"{r.who} 申请于 {_when(r.requested_at)}：{r.purpose}（{r.days} 天，{r.get_mode_display()}）",
                 badge="待审批", badge_class="badge-warn")
            for r in awaiting_decision(user)]


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


def publicity_items(user) -> list[Item] | None:
    """公示 (LW-P 8-9; 行政处罚法 48, 85) by the profile's publicity roles: drafts to review (审核), reviewed
    ones to approve (批准), the decisions of the drafter's unit to publish (拟稿) with the clock, entries to
    withdraw (撤回, within 3 working days); None for a user with none of the roles."""
    from liuhen.publicity import work_selectors as ws

    p = ws.powers(user)
    if not p.works:
        return None
    agency = user.agency
    out = []
    if p.review:
        out += [Item(title=f"待审核：{x.title}", url=reverse("publicity:version", args=[x.pk]), case=x.entry.case,
                     detail=f"{x.entry.number} 第 {x.n} 稿 · {x.made_by.display_name} 拟于 {_when(x.made_at)}",
                     badge="待审核", badge_class="badge-signing")
                for x in ws.awaiting_review(agency).exclude(made_by=user)[:100]]
    if p.approve:
        out += [Item(title=f"待批准：{x.title}", url=reverse("publicity:version", args=[x.pk]), case=x.entry.case,
                     detail=f"{x.entry.number} 第 {x.n} 稿 · {x.made_by.display_name} 拟于 {_when(x.made_at)}",
                     badge="待批准", badge_class="badge-signing")
                for x in ws.awaiting_approval(agency)[:100]]
    if p.draft:
        unit = user.unit if user.unit_id is not None else None
        for r in ws.to_publish(agency, unit=unit):
            late = r.clock is not None and r.clock.overdue
            out.append(Item(title=f"待公示：{r.document.number.text}", url=reverse("publicity:index") + "#pub-to-publish",
                            case=r.case, detail=r.clock.text if r.clock else "本机关未规定公示期限",
                            badge="已逾期" if late else ("已退回" if r.returned else "待拟稿"),
                            badge_class="badge-bad" if late else "badge-warn", red=late))
    if p.approve:
        for r in ws.to_withdraw(agency):
            late = r.clock is not None and r.clock.overdue
            out.append(Item(title=f"应撤回：{r.entry.number}", url=reverse("publicity:entry", args=[r.entry.number]),
                            case=r.entry.case, detail=r.clock.text if r.clock else "",
                            badge="已逾期" if late else "待撤回", badge_class="badge-bad", red=late))
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
        sections.append(Section("materials", "待补充材料", "LW-L 11", material_items(user)))
    cap = capacity_items(user)
    if user.has_role(Role.LEGAL_REVIEWER):
        sections.append(Section("review", "待审核", "LW-L 13-16", review_items(user, now) + cap[SignerRole.REVIEWER]))
    pending, to_make = copy_requests(user)
    fines, deferrals = payment_items(user)
    heads = head_items(user) + deferrals + property_items(user)
    if user.has_role(Role.UNIT_HEAD, Role.AGENCY_HEAD) or pending or heads:
        sections.append(Section("approve", "待审批", "行政处罚法 57, 66, LW-L 16-17, LW-D 15, LQ 13",
                                cap[SignerRole.LEADER] + heads + pending))
    retrievals = retrieval_items(user)
    if retrievals:
        sections.append(Section("retrieval", "待审批的调阅申请", "LW-D 15, AS 15", retrievals))
    if user.has_role(Role.ARCHIVIST):
        sections.append(Section("archive", "待归档", "BX 11, LC 31, LQ 28",
                                archive_items(user, cap[SignerRole.ARCHIVIST])))
    if to_make:
        sections.append(Section("copies", "待制作证据复制", "LW-D 13", to_make))
    if fines:
        sections.append(Section("fines", "待缴罚款", "行政处罚法 67, 72", fines))
    publicity = publicity_items(user)
    if publicity is not None:
        sections.append(Section("publicity", "公示", "LW-P 8-9, 行政处罚法 48", publicity))
    sections.append(Section("deadlines", f"期限（{window} 个工作日内到期及已逾期）", "",
                            deadline_items(user, now), empty="近期没有到期的期限。"))
    return TodoList(sections, window)


def log_detail(todo: TodoList) -> dict:
    """What the to-do page showed, for its read event: counts per section and the case ids."""
    cases = sorted({i.case.pk for s in todo.sections for i in s.items if i.case is not None})
    return {"sections": {s.key: len(s.items) for s in todo.sections}, "cases": cases[:200]}
