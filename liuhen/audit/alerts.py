"""安全告警 on the audit administrator's screen (issue 21 §2, SPEC §9 等保 2.0 安全审计): what deserves
a look, computed from the ledger alone — repeated failed logins (per username and per client
address within the lockout window), password resets of an administrator's account, role changes,
authenticators bound or removed, all sessions of a person ended. Newest first, each linked to its
event. Nothing is stored: the ledger is the record, and nobody can clear an alert."""
import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from liuhen.accounts import lockout
from liuhen.accounts import vocabulary as acc
from liuhen.accounts.models import User
from liuhen.accounts.roles import ADMIN_ROLES, Role
from liuhen.ledger import vocabulary as ledger_vocab
from liuhen.ledger.models import Entry

from .selectors import entries_for


@dataclass(frozen=True)
class Alert:
    at: datetime.datetime
    kind: str
    text: str
    entry_id: int

    @property
    def url(self) -> str:
        return reverse("audit:event", args=[self.entry_id])


def days() -> int:
    return int(getattr(settings, "LIUHEN_AUDIT_ALERT_DAYS", 30))


def _ip(entry) -> str:
    try:
        return json.loads(bytes(entry.leaf).decode("utf-8"))["request"]["ip"] or ""
    except (ValueError, KeyError, TypeError):
        return ""


def _bursts(entries, limit: int, window: datetime.timedelta):
    """The entries (oldest first) at which `limit` fell within `window`: one per burst."""
    times, last_alert = [], None
    for e in entries:
        times = [t for t in times if e.created_at - t <= window] + [e.created_at]
        if len(times) >= limit and (last_alert is None or e.created_at - last_alert > window):
            last_alert = e.created_at
            yield e, len(times)


def failed_logins(since, entries=None) -> list[Alert]:
    window = datetime.timedelta(minutes=lockout.lock_minutes())
    guesses = list((Entry.objects.all() if entries is None else entries).filter(action__in=acc.GUESSES, created_at__gte=since).order_by("created_at", "pk"))
    by_user, by_ip = {}, {}
    for e in guesses:
        by_user.setdefault(e.object_id, []).append(e)
        ip = _ip(e)
        if ip:
            by_ip.setdefault(ip, []).append(e)
    minutes = lockout.lock_minutes()
    alerts = [Alert(e.created_at, "登录失败过多", f"账号 {name} 在{minutes}分钟内登录或验证失败{n}次", e.pk)
              for name, es in by_user.items() for e, n in _bursts(es, lockout.max_failures(), window)]
    per_address = lockout.max_failures_per_address()
    if per_address > 0:
        alerts += [Alert(e.created_at, "登录失败过多", f"地址 {ip} 在{minutes}分钟内登录或验证失败{n}次", e.pk)
                   for ip, es in by_ip.items() for e, n in _bursts(es, per_address, window)]
    return alerts


def _names(ids) -> dict[str, User]:
    return {str(u.pk): u for u in User.objects.filter(pk__in=[i for i in ids if str(i).isdigit()])}


def account_changes(since, entries=None) -> list[Alert]:
    kinds = {acc.PASSWORD_RESET: "管理员账号密码被重置", acc.ROLE_GRANT: "授予角色", acc.ROLE_REVOKE: "撤销角色",
             acc.OTP_DEVICE_ADD: "绑定验证器", acc.OTP_DEVICE_REMOVE: "解绑验证器",
             acc.SESSIONS_END_ALL: "结束全部会话"}
    entries = list((Entry.objects.all() if entries is None else entries).filter(
        action__in=kinds, created_at__gte=since, object_type="user"))
    people = _names({e.object_id for e in entries} | {str(e.actor_id) for e in entries if e.actor_id})
    admin = {str(r) for r in ADMIN_ROLES}
    alerts = []
    for e in entries:
        person = people.get(e.object_id)
        if e.action == acc.PASSWORD_RESET and not (person and person.role_codes() & admin):
            continue  # an officer's reset is routine; an administrator's is an alert
        actor = people.get(str(e.actor_id))
        who = f"{person.username}" if person else f"#{e.object_id}"
        text = f"{who}（由 {actor.username if actor else '系统'} 操作）"
        if e.action in (acc.ROLE_GRANT, acc.ROLE_REVOKE):
            role = _role(e)
            text = f"{who}：{role}（由 {actor.username if actor else '系统'} 操作）"
        alerts.append(Alert(e.created_at, kinds[e.action], text, e.pk))
    return alerts


def _role(entry) -> str:
    try:
        code = json.loads(bytes(entry.leaf).decode("utf-8"))["detail"]["role"]
        return Role(code).label
    except (ValueError, KeyError, TypeError):
        return "角色"


KIND_LABELS = {"altered": "被修改", "deleted": "被删除", "inserted": "被插入", "reordered": "顺序被改",
               "truncated": "被截断", "checkpoint": "检查点不一致", "tile": "瓦片不一致"}


def verify_findings(since, entries) -> list[Alert]:
    """Each `liuhen verify` run that found something (its event ledger.verified, ok false): system events,
    read by the platform's auditor (the log is the instance's), not by an agency's."""
    alerts = []
    for e in entries.filter(action=ledger_vocab.VERIFIED, created_at__gte=since):
        try:
            detail = json.loads(bytes(e.leaf).decode("utf-8"))["detail"]
        except (ValueError, KeyError, TypeError):
            continue
        if detail.get("ok", True):
            continue
        kinds = "、".join(f"{KIND_LABELS.get(k, k)} {n} 处" for k, n in (detail.get("kinds") or {}).items())
        alerts.append(Alert(e.created_at, "日志核验发现问题",
                            f"liuhen verify 发现 {detail.get('findings', '?')} 处问题" + (f"（{kinds}）" if kinds else ""), e.pk))
    return alerts


def recent(limit: int = 50, auditor=None) -> list[Alert]:
    """The alerts of the last days(), of the entries `auditor` reads (audit.selectors.entries_for)."""
    since = timezone.now() - datetime.timedelta(days=days())
    entries = entries_for(auditor)
    alerts = failed_logins(since, entries) + account_changes(since, entries) + verify_findings(since, entries)
    return sorted(alerts, key=lambda a: (a.at, a.entry_id), reverse=True)[:limit]
