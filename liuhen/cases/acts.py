"""How the pages of the apps above cases answer an act on a case (their POST views): run the service's
write — it records its own refusal in the ledger — and answer a refusal with its Chinese reason on an
error page (403 for no right, 409 for an act the state refuses, 400 for bad input); record a form
refused before any service; answer 404 for a case the user may not see, exactly as for one that does
not exist, and record the attempt (refusals.record_denied). Used by legalreview and execution."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from liuhen.ledger import refusals

from . import access


def refusal_status(exc, conflicts=frozenset()) -> int:
    """403 for no right; 409 when the refusal's codes say the state does not allow the act; else 400."""
    if isinstance(exc, PermissionDenied):
        return 403
    return 409 if set(refusals.error_codes(exc)) & conflicts else 400


def refusal_lines(exc) -> list[str]:
    return list(getattr(exc, "messages", None) or [str(exc) or "您没有权限执行此操作。"])


def error_page(request, title, lines, back, status):
    return render(request, "web/error.html", {"title": title, "lines": lines, "back": back}, status=status)


def run_act(request, write, *, title: str, back: str, done, conflicts=frozenset()):
    """Run a service's write: a refusal is a page saying why, else a success message and back."""
    try:
        result = write()
    except (PermissionDenied, ValidationError) as exc:
        return error_page(request, title, refusal_lines(exc), back, refusal_status(exc, conflicts))
    messages.success(request, done(result))
    return redirect(back)


def form_refused(request, form, action: str, *, title, back, object_type, object_id):
    """A form refused before any service: recorded as `action` (an app's *.refused), answered 400."""
    lines = [f"{form.fields[name].label if name in form.fields else ''}：{e}".lstrip("：")
             for name, errs in form.errors.items() for e in errs]
    refusals.record_refusal(request, action, lines, object_type, object_id, form=form)
    return error_page(request, title, lines, back, 400)


def visible_case(request, case):
    """`case` if the user may see it; else 404, the attempt recorded."""
    if not access.can_view(request.user, case):
        refusals.record_denied(request, "case", case.pk)
        raise Http404
    return case


def one_in_visible_case(request, qs, pk, case_of):
    """The row `pk` of `qs` whose case (`case_of(row)`) the user may see; else 404."""
    row = qs.filter(pk=pk).first()
    if row is None:
        raise Http404
    visible_case(request, case_of(row))
    return row
