"""Writes of the retention app, each in one transaction with its ledger entry; every refused act of
a person is in the ledger too (retention.denied: the act and its codes, never the text).

- 长期保存依据 (LW-D 12): `add_ground` / `withdraw_ground`;
- 法律保全: `place_hold` / `release_hold` (hold_roles);
- 恢复: `restore` (restore_roles) within the recovery period;
- 清理: `run_purge` — announce (公告), remove (移除), purge (清除) — the one way footage goes.

Who may register a long-term ground: (一) an objection, complaint or petition about a case — the
case's officers, the unit head of its unit, a supervisor, the agency head; (二) obstruction of
the officers, on a footage item — the officer it is attributed to, the officers of a case it is
linked to, the unit head, a supervisor, the agency head; (三) an important situation — only by
decision of `decide_roles` (机关负责人 by default), who also withdraw a ground.
"""
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.cases import access
from liuhen.cases.models import Case
from liuhen.common import text
from liuhen.footage.models import FootageItem, FootageLink
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.media import purge as media_purge
from liuhen.media import store
from liuhen.media.models import Blob, BlobPurge

from . import conf, policy
from . import vocabulary as v
from .models import GroundKind, LegalHold, LongTermGround, PurgeNotice, Removal, Restoration

AGENCY = "retention_agency"  # the object of a refused act on no row yet (a new ground, a new hold)


def _about(actor, target=None, *rest) -> tuple[str, object]:
    if hasattr(target, "ledger_object_type") and getattr(target, "pk", None):
        return target.ledger_object_type, target.pk
    return AGENCY, actor.agency_id or ""


def _guarded(act: str):
    return refusals.records_refusals(v.DENIED, act, _about)


def has_any_role(user, names) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.has_role(*names)


def may_hold(user) -> bool:
    return has_any_role(user, conf.roles("hold_roles", user))


def may_decide(user) -> bool:
    return has_any_role(user, conf.roles("decide_roles", user))


def may_restore(user) -> bool:
    return has_any_role(user, conf.roles("restore_roles", user))


def _reason(value, label="理由") -> str:
    value = text.clean(value or "", label, max_length=500).strip()
    if not value:
        raise ValidationError(f"请填写{label}。", code="reason_required")
    return value


def _target(actor, case, item) -> tuple:
    """Exactly one of a case and a footage item (a video, not a sidecar), of the actor's agency."""
    if (case is None) == (item is None):
        raise ValidationError("请指定一个案件或一个音像记录。", code="target")
    agency_id = case.agency_id if case is not None else item.agency_id
    if actor.agency_id != agency_id:
        raise PermissionDenied("不能处理其他执法机关的音像资料。")
    if item is not None and item.video_id is not None:
        raise ValidationError("附属文件随其视频保存，请对视频操作。", code="sidecar")
    return agency_id


def _linked_cases(item) -> list:
    return [lk.case for lk in FootageLink.objects.filter(item=item, unlink__isnull=True).select_related("case")]


def may_register(user, kind: str, *, case=None, item=None) -> bool:
    """May `user` register a ground of `kind` on `case` or `item`? (see the module docstring)."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    if kind == GroundKind.IMPORTANT:
        return may_decide(user)
    if user.has_role(Role.SUPERVISOR, Role.AGENCY_HEAD):
        return True
    cases = [case] if case is not None else _linked_cases(item) if item is not None else []
    for c in cases:
        if access.is_assigned(user, c):
            return True
        if user.has_role(Role.UNIT_HEAD) and user.unit_id == c.unit_id:
            return True
    if item is not None and user.has_role(Role.OFFICER) and user.pk == item.officer_id:
        return True
    if item is not None and user.has_role(Role.UNIT_HEAD) and item.officer_id and \
            item.officer.unit_id == user.unit_id:
        return True
    return False


def _log(action, actor, row, detail: dict) -> None:
    ledger.append_row(action, actor, row, **detail)


@_guarded("ground")
def add_ground(actor, *, kind: str, reason: str, case: Case | None = None, item: FootageItem | None = None
               ) -> LongTermGround:
    """长期保存依据 (LW-D 12): (一) objection on a case, (二) obstruction on an item, (三) important
    by decision on either."""
    if kind not in GroundKind.values:
        raise ValidationError("长期保存依据的类别无效。", code="kind")
    agency_id = _target(actor, case, item)
    if kind == GroundKind.OBJECTION and case is None:
        raise ValidationError("当事人异议、投诉或上访登记在案件上（该案全部音像资料长期保存）。", code="objection_on_case")
    if kind == GroundKind.OBSTRUCTION and item is None:
        raise ValidationError("执法人员遭阻碍、侮辱或殴打登记在相应的音像记录上。", code="obstruction_on_item")
    if not may_register(actor, kind, case=case, item=item):
        if kind == GroundKind.IMPORTANT:
            raise PermissionDenied("其他重要情形的长期保存须经机关负责人决定（LW-D 12（三））。")
        raise PermissionDenied("只有本案承办人员、承办机构负责人、监督人员或机关负责人可以登记长期保存依据。")
    reason = _reason(reason)
    with transaction.atomic():
        if LongTermGround.objects.filter(kind=kind, case=case, item=item, withdraws__isnull=True,
                                         withdrawal__isnull=True).exists():
            raise ValidationError("已登记同一长期保存依据。", code="already")
        row = LongTermGround(agency_id=agency_id, kind=kind, case=case, item=item, reason=reason, made_by=actor,
                             made_at=timezone.now())
        row.save()
        _log(v.GROUND, actor, row, {"kind": kind, "case": row.case_id, "item": row.item_id})
    return row


@_guarded("ground_withdraw")
def withdraw_ground(actor, ground: LongTermGround, reason: str) -> LongTermGround:
    """撤销 a ground (decide_roles, with the reason): a new row; the ground's row stays."""
    if actor.agency_id != ground.agency_id:
        raise PermissionDenied("不能处理其他执法机关的音像资料。")
    if not may_decide(actor):
        raise PermissionDenied("撤销长期保存依据须经机关负责人决定。")
    if ground.withdraws_id is not None:
        raise ValidationError("这是一条撤销记录，不能再撤销。", code="is_withdrawal")
    reason = _reason(reason)
    with transaction.atomic():
        LongTermGround.objects.select_for_update().filter(pk=ground.pk).first()
        if LongTermGround.objects.filter(withdraws=ground).exists():
            raise ValidationError("该长期保存依据已撤销。", code="already_withdrawn")
        row = LongTermGround(agency_id=ground.agency_id, kind=ground.kind, case_id=ground.case_id,
                             item_id=ground.item_id, reason=reason, withdraws=ground, made_by=actor,
                             made_at=timezone.now())
        row.save()
        _log(v.GROUND_WITHDRAW, actor, row, {"ground": ground.pk, "kind": ground.kind, "case": row.case_id,
                                             "item": row.item_id})
    return row


@_guarded("hold")
def place_hold(actor, *, reason: str, case: Case | None = None, item: FootageItem | None = None) -> LegalHold:
    """法律保全: the footage (of a case, or one item) is never purged while the hold stands."""
    agency_id = _target(actor, case, item)
    if not may_hold(actor):
        raise PermissionDenied("您的角色不能决定法律保全。")
    reason = _reason(reason)
    with transaction.atomic():
        if LegalHold.objects.filter(case=case, item=item, releases__isnull=True, release__isnull=True).exists():
            raise ValidationError("已在法律保全中。", code="already_held")
        row = LegalHold(agency_id=agency_id, case=case, item=item, reason=reason, made_by=actor, made_at=timezone.now())
        row.save()
        _log(v.HOLD, actor, row, {"case": row.case_id, "item": row.item_id})
    return row


@_guarded("hold_release")
def release_hold(actor, hold: LegalHold, reason: str) -> LegalHold:
    """解除法律保全 (hold_roles, with the reason): a new row; the hold's row stays."""
    if actor.agency_id != hold.agency_id:
        raise PermissionDenied("不能处理其他执法机关的音像资料。")
    if not may_hold(actor):
        raise PermissionDenied("您的角色不能解除法律保全。")
    if hold.releases_id is not None:
        raise ValidationError("这是一条解除记录。", code="is_release")
    reason = _reason(reason)
    with transaction.atomic():
        LegalHold.objects.select_for_update().filter(pk=hold.pk).first()
        if LegalHold.objects.filter(releases=hold).exists():
            raise ValidationError("该法律保全已解除。", code="already_released")
        row = LegalHold(agency_id=hold.agency_id, case_id=hold.case_id, item_id=hold.item_id, reason=reason,
                        releases=hold, made_by=actor, made_at=timezone.now())
        row.save()
        _log(v.HOLD_RELEASE, actor, row, {"hold": hold.pk, "case": row.case_id, "item": row.item_id})
    return row


@_guarded("restore")
def restore(actor, removal: Removal, reason: str) -> Restoration:
    """恢复 a removed file within its recovery period (restore_roles, with the reason): it is played
    and listed again, and not removed again before its custodians had notice_days to act."""
    item = removal.item
    if actor.agency_id != item.agency_id:
        raise PermissionDenied("不能处理其他执法机关的音像资料。")
    if not may_restore(actor):
        raise PermissionDenied("您的角色不能恢复已移除的音像资料。")
    reason = _reason(reason)
    with transaction.atomic():
        Removal.objects.select_for_update().filter(pk=removal.pk).first()
        if Restoration.objects.filter(removal=removal).exists():
            raise ValidationError("该音像资料已恢复。", code="already_restored")
        if media_purge.is_purged(item.blob_id):
            raise ValidationError("存储文件已清除，无法恢复。", code="purged")
        if timezone.now() >= removal.recoverable_until:
            raise ValidationError(f"恢复期已于 {timezone.localtime(removal.recoverable_until):%Y-%m-%d %H:%M} 届满，"
                                  "不能再恢复。", code="recovery_over")
        row = Restoration(removal=removal, reason=reason, restored_by=actor, restored_at=timezone.now())
        row.save()
        _log(v.RESTORE, actor, row, {"removal": removal.pk, "item": item.pk})
    return row


# ---- 清理 (the purge run) ------------------------------------------------------------------------

class FutureAsOf(ValueError):
    """A real run evaluated at a future date (it would remove what is not yet due)."""


@dataclass
class PurgeRun:
    as_of: datetime.datetime
    dry_run: bool
    verdicts: list = field(default_factory=list)       # one per footage item, in item order
    names: dict = field(default_factory=dict)          # {item pk: file name}
    done: dict = field(default_factory=dict)           # {item pk: "announced" / "removed" / "purged"}
    deleted: list = field(default_factory=list)        # SHA-256 whose bytes this run deleted
    failures: list = field(default_factory=list)       # Chinese messages; non-empty: exit 1

    def as_json(self) -> dict:
        files = []
        for vd in self.verdicts:
            entry = vd.as_json()
            if vd.item_id in self.done:
                entry["done"] = self.done[vd.item_id]
            files.append(entry)
        return {"files": files}


def _blob_ready(vds: list) -> bool:
    """Bytes go only when every footage item of the blob is removed and past its recovery."""
    return all(vd.stage == policy.PURGE for vd in vds)


def run_purge(as_of: datetime.datetime | None = None, *, dry_run: bool = False, actor=None, on_step=None
              ) -> PurgeRun:
    """One purge run at `as_of` (default now): (a) announce what is due within notice_days, (b)
    remove what is expired, unheld, unlinked to an open case, not long-term and announced long
    enough, (c) purge the bytes of what was removed more than recovery_days ago — the purge row and
    event committed first, then the bytes deleted — and delete again the bytes of purged blobs still
    present. Each step is its own transaction: interrupted anywhere, every file is kept, removed
    (recoverable) or purged with its event. `dry_run` writes nothing. `on_step(step, item_or_sha)`
    is called after each committed step (for tests that interrupt the run there)."""
    now = timezone.now()
    if as_of is None:
        as_of = now
    if not dry_run and timezone.localdate(as_of) > timezone.localdate(now):
        raise FutureAsOf("不能按将来的日期执行清理（--as-of 晚于今天）；如需预览请加 --dry-run。")
    step = on_step or (lambda *a: None)
    items = list(FootageItem.objects.order_by("pk"))
    run = PurgeRun(as_of=as_of, dry_run=dry_run)
    run.verdicts = policy.verdicts(items, as_of)
    run.names = {it.pk: it.name for it in items}
    by_pk = {it.pk: it for it in items}
    by_blob: dict[str, list] = {}
    for vd in run.verdicts:
        by_blob.setdefault(vd.sha256, []).append(vd)
    for sha, vds in by_blob.items():
        if not _blob_ready(vds):
            for vd in vds:
                if vd.stage == policy.PURGE:  # another item of the same bytes is still kept
                    vd.purge, vd.stage = False, policy.REMOVED
                    vd.reason += "；但同一存储文件的其他音像记录仍在保存，不清除存储文件"
    if dry_run:
        return run

    counts = {"announced": 0, "removed": 0, "purged": 0, "retried": 0, "failed": 0}
    for vd in run.verdicts:
        item = by_pk[vd.item_id]
        if vd.stage == policy.ANNOUNCE:
            with transaction.atomic():
                row = PurgeNotice(item=item, due=vd.retention_until, retention_class=vd.retention_class,
                                  announced_at=timezone.now())
                row.save()
                _log(v.NOTICE, actor, row, {"item": item.pk, "due": row.due.isoformat(), "class": vd.retention_class})
            run.done[item.pk] = "announced"
            counts["announced"] += 1
            step("notice", item)
        elif vd.stage == policy.REMOVE:
            with transaction.atomic():
                notice = PurgeNotice.objects.get(item=item, due=vd.retention_until)
                removed_at = timezone.now()
                row = Removal(item=item, notice=notice, due=vd.retention_until, removed_by=actor, removed_at=removed_at,
                              recoverable_until=removed_at + datetime.timedelta(days=vd.recovery_days))
                row.save()
                _log(v.REMOVE, actor, row, {"item": item.pk, "notice": notice.pk, "due": row.due.isoformat(),
                                            "recoverable_until": row.recoverable_until.isoformat()})
            run.done[item.pk] = "removed"
            counts["removed"] += 1
            step("remove", item)
    for sha, vds in by_blob.items():
        if not (vds and _blob_ready(vds)) or media_purge.is_purged(sha):
            continue
        if media_purge.needed_elsewhere([sha]):
            for vd in vds:
                vd.purge, vd.stage = False, policy.REMOVED
                vd.reason += "；同一存储文件仍被其他记录（附件、补充材料）使用，不清除存储文件"
            continue
        try:
            there = store.exists(sha)
        except OSError as exc:
            run.failures.append(f"{sha}：存储不可达，未清除（{exc}）；下次运行重试")
            counts["failed"] += 1
            continue
        if not there:  # gone WITHOUT a purge: not ours to cover up — verify reports it as missing
            run.failures.append(f"{sha}：存储文件已丢失（并非清除所致），未记为清除；请运行 liuhen verify")
            counts["failed"] += 1
            continue
        reason = "；".join(sorted({vd.reason.split("；")[0] for vd in vds}))
        media_purge.record_purge(Blob.objects.get(pk=sha), actor=actor, reason=reason,
                                 detail={"items": [vd.item_id for vd in vds], "as_of": as_of.isoformat()})
        step("purge_row", sha)  # committed: from here the blob is purged, with its event
        for vd in vds:
            run.done[vd.item_id] = "purged"
        counts["purged"] += 1
        try:
            media_purge.delete_bytes(sha)
            run.deleted.append(sha)
        except OSError as exc:
            run.failures.append(f"{sha}：已记为清除，但删除存储文件失败（{exc}）；下次运行重试")
            counts["failed"] += 1
            continue
        step("delete", sha)
    # Purged blobs whose bytes are still there (an earlier run interrupted, the store down then).
    try:
        pending = [sha for sha in media_purge.pending_deletions() if sha not in run.deleted]
    except OSError as exc:
        pending = []
        run.failures.append(f"存储不可达，未能核对已清除文件是否仍在（{exc}）；下次运行重试")
    for sha in pending:
        # The same bytes taken in again after the purge (another device's copy): not ours to delete.
        purged_at = BlobPurge.objects.get(blob_id=sha).purged_at
        if FootageItem.objects.filter(blob_id=sha, ingested_at__gt=purged_at).exists():
            run.failures.append(f"{sha}：已清除的内容又被导入，存储文件未删除；请核查")
            counts["failed"] += 1
            continue
        try:
            media_purge.delete_bytes(sha)
            run.deleted.append(sha)
            counts["retried"] += 1
        except OSError as exc:
            run.failures.append(f"{sha}：删除已清除的存储文件失败（{exc}）；下次运行重试")
            counts["failed"] += 1
    with transaction.atomic():
        ledger.append(v.RUN, actor=actor, object_type="retention_run", object_id=timezone.localdate(as_of).isoformat(),
                      detail={"as_of": as_of.isoformat(), "files": len(run.verdicts), **counts})
    return run


def log_view(actor, page: str, object_type: str = AGENCY, object_id="") -> None:
    """A look at a retention page (a read): which page, about what (ids only)."""
    ledger.append(v.VIEW, actor=actor, object_type=object_type, object_id=object_id or (actor.agency_id or ""),
                  detail={"page": page})
