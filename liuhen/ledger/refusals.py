"""The one way a refused act of a user enters the ledger (拒绝的操作留痕).

Every refusal of a user's act is traced (ARCHITECTURE: "a refused access is itself traced"; LQ 29
punishes records destroyed or hidden: a refusal leaves a trace as a success does). Views of the apps
call `record_refusal` wherever they answer 4xx to an act: a service's ValidationError, a form
re-shown with errors, a stage move its guard refuses. `record_denied` is for an object the user may
not see: the page answers 404 exactly as for an id that does not exist (ids cannot be enumerated),
and the log still says who tried what.

Action names end in `.refused` (the act was refused) or `.denied` (the object was not shown): both
are read-type events — nothing else changes with them — so they are written in a transaction of
their own, whatever the request is doing. The event holds no message text: service messages may
name a party ("“王某”不是本案当事人"), and the ledger holds ids and hashes, never a party's name
(README, security baseline). It holds the status, the method, the path (ids only), the names of the
form fields in error and Django's error codes, and how many messages the user was shown.
"""
import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from . import services as ledger

DENIED = "access.denied"


def _actor(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def error_codes(exc: Exception, *, fallback: bool = True) -> list[str]:
    """The stable codes of a refusal (a ValidationError's codes; else, with `fallback`, the
    exception's type): what the ledger keeps of it — never the message, which may name a person."""
    out = []
    for item in getattr(exc, "error_list", [exc]):
        code = getattr(item, "code", None) or (type(exc).__name__ if fallback else None)
        if code and str(code)[:40] not in out:
            out.append(str(code)[:40])
    return out


def record_refused_act(actor, action: str, act: str, exc: Exception, object_type: str, object_id) -> None:
    """A person's act a service refused (a ValidationError or PermissionDenied it raises), in the
    ledger: which act and its error codes, never the message (it may name a person). The system
    (actor None) refuses nothing worth a trace: its bad input is a bug or a script's error."""
    if actor is None:
        return
    with transaction.atomic():  # its own entry, whatever becomes of the caller's transaction
        ledger.append(action, actor=actor, object_type=object_type, object_id=object_id,
                      detail={"act": act, "codes": error_codes(exc)[:10]})


def records_refusals(action: str, act: str, about):
    """A service decorator: a ValidationError or PermissionDenied the service `fn(actor, *args, …)`
    raises is recorded (record_refused_act, about the object `about(actor, *args)` names as
    (object_type, object_id)), then raised on — the one way services of the apps trace a refusal."""
    def wrap(fn):
        @functools.wraps(fn)
        def run(actor, *args, **kwargs):
            try:
                return fn(actor, *args, **kwargs)
            except (ValidationError, PermissionDenied) as exc:
                if actor is not None:
                    record_refused_act(actor, action, act, exc, *about(actor, *args))
                raise
        return run
    return wrap


def _codes(errors) -> list[str]:
    out = []
    for exc in errors or ():
        out += [c for c in error_codes(exc, fallback=False) if c not in out]
    return out[:20]


def record_refusal(request, action: str, messages, object_type: str = "", object_id="", *,
                   status: int = 400, form=None, errors=()) -> None:
    """Append `action` (e.g. "records.refused") for a refused act of the request's user.

    `messages`: what the user was told (counted, not stored); `form`: a bound form whose errors
    were shown (its field names and error codes are stored); `errors`: ValidationErrors (codes)."""
    if not (action.endswith(".refused") or action.endswith(".denied")):
        raise ValueError(f"record_refusal: {action!r} must end in .refused or .denied")
    if not object_type:
        # An act on nothing yet (a new case): the path names it, as access.denied does.
        object_type, object_id = "path", request.path[:64]
    detail = {"method": request.method, "path": request.path[:200], "status": status,
              "messages": len(list(messages or ()))}
    codes = _codes(errors)
    if form is not None and form.errors:
        detail["fields"] = sorted(form.errors)[:40]
        codes += [c for c in _codes(form.errors.as_data().get("__all__", [])) if c not in codes]
        for name, errs in form.errors.as_data().items():
            for c in _codes(errs):
                if c not in codes:
                    codes.append(c)
    if codes:
        detail["codes"] = codes[:20]
    with transaction.atomic():
        ledger.append(action, actor=_actor(request), object_type=object_type, object_id=str(object_id)[:64],
                      detail=detail)


def record_denied(request, object_type: str, object_id, *, status: int = 404) -> None:
    """The user asked for an object they may not see; the page says it does not exist."""
    with transaction.atomic():
        ledger.append(DENIED, actor=_actor(request), object_type=object_type, object_id=str(object_id)[:64],
                      detail={"method": request.method, "path": request.path[:200], "status": status})
