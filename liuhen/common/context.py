"""Who is acting and in which request — read by the ledger when it writes an entry."""
import contextvars
import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    ip: str = ""
    channel: str = "cli"  # web | api | cli | task


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("liuhen_request", default=None)


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        ctx = RequestContext()
        _current.set(ctx)
    return ctx


def bind(ctx: RequestContext):
    return _current.set(ctx)


def reset(token) -> None:
    _current.reset(token)
