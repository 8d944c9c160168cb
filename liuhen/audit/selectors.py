"""Reads of the ledger for the audit screen. The audit administrator reads the log as it is: each
event's own bytes (the canonical JSON leaf), never a copy."""
import datetime
import json

from django.db.models import Q
from django.utils import timezone

from liuhen.accounts.models import Agency, User
from liuhen.accounts.roles import Role
from liuhen.ledger.models import Entry

from .vocabulary import action_label, object_type_label

SYSTEM = "系统"


def role_labels(codes) -> str:
    """The roles an event's actor held, by their Chinese names (a code nobody knows as itself)."""
    if not isinstance(codes, list):
        return ""
    return "、".join(Role(c).label if c in Role.values else str(c) for c in codes)


def actor_ids(text: str) -> list[int] | None:
    """The people `text` names: a username, a full name or an id. [] when it names nobody; None for
    the system itself (events with no actor)."""
    if text == SYSTEM:
        return None
    q = Q(username=text) | Q(full_name=text)
    if text.isdigit() and len(text) <= 18:
        q |= Q(pk=int(text))
    return list(User.objects.filter(q).values_list("pk", flat=True))


def entries_for(auditor=None):
    """The entries an audit administrator reads: every one on an instance of one agency. Several
    agencies on one instance: the platform's (of no agency) reads every entry, the system's own
    included; an agency's reads its own people's — what they did, the failed logins on their accounts
    and every change made to their accounts (the platform administrators' included) — and nothing of
    another agency's."""
    qs = Entry.objects.all()
    if auditor is None or auditor.agency_id is None or not Agency.objects.exclude(pk=auditor.agency_id).exists():
        return qs
    people = User.objects.filter(agency_id=auditor.agency_id)
    ids, usernames = zip(*people.values_list("pk", "username")) if people.exists() else ((), ())
    return qs.filter(Q(actor_id__in=ids) | Q(object_type=User.ledger_object_type, object_id__in=[str(i) for i in ids])
                     | Q(object_type="login", object_id__in=usernames))


def search(filters: dict, auditor=None):
    """Entries matching the search form's cleaned filters, newest first."""
    qs = entries_for(auditor)
    if filters.get("actor"):
        ids = actor_ids(filters["actor"])
        qs = qs.filter(actor_id__isnull=True) if ids is None else qs.filter(actor_id__in=ids)
    if filters.get("object_type"):
        qs = qs.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        qs = qs.filter(object_id=filters["object_id"])
    action = filters.get("action")
    if action:
        qs = qs.filter(action__startswith=action[:-1]) if action.endswith("*") else qs.filter(action=action)
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        qs = qs.filter(created_at__gte=datetime.datetime.combine(filters["date_from"], datetime.time.min, tz))
    if filters.get("date_to"):
        end = filters["date_to"] + datetime.timedelta(days=1)
        qs = qs.filter(created_at__lt=datetime.datetime.combine(end, datetime.time.min, tz))
    return qs.order_by("-id")


def _seqs(entry_ids) -> dict[int, int]:
    return dict(Entry.objects.filter(id__in=entry_ids, sequenced__isnull=False)
                .values_list("id", "sequenced__seq"))


def rows(entries) -> list[dict]:
    """One display row per entry: the event as its leaf says, with Chinese names and the actor's
    name (the ledger keeps ids and login names only)."""
    entries = list(entries)
    seqs = _seqs([e.pk for e in entries])
    names = dict(User.objects.filter(pk__in={e.actor_id for e in entries if e.actor_id})
                 .values_list("pk", "full_name"))
    out = []
    for e in entries:
        try:
            event = json.loads(bytes(e.leaf).decode("utf-8"))
            if not isinstance(event, dict):
                raise ValueError("not an object")
        except (ValueError, UnicodeDecodeError):
            event = {}  # a leaf that does not parse is shown as such; `liuhen verify` reports it
        actor = event.get("actor") if isinstance(event.get("actor"), dict) else None
        request = event.get("request") if isinstance(event.get("request"), dict) else {}
        out.append({
            "entry": e, "id": e.pk, "seq": seqs.get(e.pk), "event": event,
            "time": timezone.localtime(e.created_at),
            "action": e.action, "action_label": action_label(e.action),
            "actor_id": e.actor_id, "actor_username": (actor or {}).get("username", ""),
            "actor_name": names.get(e.actor_id, ""), "actor_roles": (actor or {}).get("roles", []),
            "actor_role_labels": role_labels((actor or {}).get("roles", [])),
            "object_type": e.object_type, "object_type_label": object_type_label(e.object_type),
            "object_id": e.object_id, "object_version": e.object_version,
            "content_sha256": event.get("content_sha256", ""), "request_id": e.request_id,
            "channel": request.get("channel", ""), "ip": request.get("ip", ""),
            "detail": event.get("detail", {}), "leaf_hash": e.leaf_hash, "parsed": bool(event),
        })
    return out


def iter_rows(queryset, chunk: int = 1000):
    """rows() over a whole search, a chunk at a time (exports)."""
    batch = []
    for entry in queryset.iterator(chunk_size=chunk):
        batch.append(entry)
        if len(batch) == chunk:
            yield from rows(batch)
            batch = []
    yield from rows(batch)


def entry(entry_id: int, auditor=None):
    e = entries_for(auditor).filter(pk=entry_id).first()
    return rows([e])[0] if e is not None else None
