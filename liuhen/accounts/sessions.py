"""A person's open sessions (等保 2.0: 会话管理): listed on their account page, each but the current
one endable by them; a security administrator can end all of someone's. Sessions live in Django's
session table; the browser and address are written into the session at login, and as a request
saves the session when it was last saved a minute or more ago (SessionRefreshMiddleware), its last
activity is its expiry less its age, to the minute."""
import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from liuhen.common import context
from liuhen.ledger import services as ledger

from . import vocabulary as v

AGENT_KEY = "liuhen_agent"
ADDRESS_KEY = "liuhen_address"
REFRESHED_KEY = "liuhen_refreshed"
REFRESH_SECONDS = 60


class SessionRefreshMiddleware:
    """Moves a logged-in session's expiry forward (idle timeout, SESSION_COOKIE_AGE) at most once a
    minute, not on every request: Django's SESSION_SAVE_EVERY_REQUEST wrote the session row — a
    write transaction, on SQLite the one writer — on every page, a tenth of a case page's cost
    under load (bench/load.py). An idle session so ends between 29 and 30 minutes after its last page.
    Must come after SessionMiddleware (whose response phase then saves what this one marked)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.modified and "_auth_user_id" in session:
            now = int(time.time())
            if now - int(session.get(REFRESHED_KEY, 0)) >= REFRESH_SECONDS:
                session[REFRESHED_KEY] = now  # marks it modified: SessionMiddleware saves it
        return response


@dataclass(frozen=True)
class OpenSession:
    key: str
    agent: str
    address: str
    last_seen: datetime.datetime
    current: bool

    @property
    def ref(self) -> str:
        """What a form names a session by: a digest, never the key itself (which is a credential)."""
        return ref(self.key)


def ref(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode()).hexdigest()[:16]


def describe(request) -> None:
    request.session[AGENT_KEY] = request.headers.get("User-Agent", "")[:200]
    request.session[ADDRESS_KEY] = context.current().ip or request.META.get("REMOTE_ADDR", "")


def _of(user):
    for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = s.get_decoded()
        if str(data.get("_auth_user_id")) == str(user.pk):
            yield s, data


def open_sessions(user, current_key: str | None = None) -> list[OpenSession]:
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows = [OpenSession(key=s.session_key, agent=data.get(AGENT_KEY, ""), address=data.get(ADDRESS_KEY, ""),
                        last_seen=s.expire_date - age, current=s.session_key == current_key)
            for s, data in _of(user)]
    return sorted(rows, key=lambda r: (not r.current, -r.last_seen.timestamp()))


def end_one(actor, session_ref: str, current_key: str | None) -> bool:
    """The owner ends one of their other sessions (by its ref). False if there is none such."""
    for s, _data in _of(actor):
        if ref(s.session_key) == session_ref and s.session_key != current_key:
            with transaction.atomic():
                s.delete()
                ledger.append(v.SESSION_END, actor=actor, object_type="user", object_id=actor.pk,
                              detail={"session": session_ref})
            return True
    return False


def end_all(actor, user) -> int:
    """A security administrator ends every session of `user` (a stolen password, a phone lost)."""
    keys = [s.session_key for s, _data in _of(user)]
    with transaction.atomic():
        Session.objects.filter(session_key__in=keys).delete()
        ledger.append(v.SESSIONS_END_ALL, actor=actor, object_type="user", object_id=user.pk,
                      detail={"sessions": len(keys)})
    return len(keys)
