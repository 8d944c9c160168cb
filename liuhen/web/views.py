"""Error pages in Chinese; a refused access is itself traced in the ledger (ARCHITECTURE).

Every page here offers a way back: the page the user came from when the Referer is this site's
(`back_url`), else 我的案件. No `javascript:` link: the Content-Security-Policy allows no inline
script.
"""
from urllib.parse import urlsplit

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import DisallowedHost
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

from liuhen.accounts.forms import LoginForm
from liuhen.accounts.views import first_page_url
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger


class LoginView(auth_views.LoginView):
    """登录: without a `next`, each goes to their own first page (an administrator, who sees no case,
    is not left on an empty case list)."""
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return first_page_url(self.request.user)


@login_required
def home(request):
    return redirect(first_page_url(request.user))


def back_url(request, default: str = "/") -> str:
    """The path of the page the request came from, if it is this site's; else `default`."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the 400 page of a request to a host we do not serve
        return default
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={host},
                                                    require_https=request.is_secure()):
        parts = urlsplit(referer)
        if parts.path:
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return default


def error_page(request, title: str, messages, status: int, *, back: str | None = None, headers=None):
    if isinstance(messages, str):
        messages = [messages]
    response = render(request, "web/error.html", {
        "title": title, "lines": list(messages), "back": back or back_url(request)}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def permission_denied(request, exception=None):
    # The event holds a code, never the exception's message (which may name a person): the ledger
    # keeps ids and codes (refusals.py). The page shows the message.
    user = request.user if request.user.is_authenticated else None
    code = getattr(exception, "code", None) or "permission_denied"
    ledger.append("access.denied", actor=user, object_type="path", object_id=request.path[:64],
                  detail={"method": request.method, "path": request.path[:200], "status": 403,
                          "code": str(code)[:40]})
    message = str(exception) if exception and str(exception) else "您没有权限执行此操作。"
    return error_page(request, "无权访问", message, 403)


NOT_FOUND_MESSAGE = "您访问的页面或记录不存在，或您无权查看。"


def page_not_found(request, exception=None):
    # One body for an id that does not exist and one the user may not see (refusals.record_denied):
    # ids cannot be enumerated. The message says both.
    return error_page(request, "页面不存在", NOT_FOUND_MESSAGE, 404, back="/")


def bad_request(request, exception=None):
    from django.core.exceptions import RequestDataTooBig

    if isinstance(exception, RequestDataTooBig):  # too many fields, or form fields over their size
        return error_page(request, "提交内容过多", "提交的表单内容超过了上限，未保存。", 413)
    return error_page(request, "请求无效", "请求内容无效，请返回重试。", 400)


def server_error(request):
    """500: a template that needs no context (no request, no database): whatever broke, it renders."""
    return HttpResponseServerError(loader.get_template("web/500.html").render())


def method_not_allowed(request, allowed):
    return error_page(request, "不支持该操作方式", "此地址不接受该请求方式。请从页面上的按钮或链接操作。", 405,
                      headers={"Allow": ", ".join(allowed)})


def too_large(request, limit: int):
    from .uploads import too_large_message

    if request.user.is_authenticated:
        refusals.record_refusal(request, "web.refused", [too_large_message(limit)], status=413,
                                errors=[_code("too_large")])
    # The body is not read. (The WSGI server closes or drains the connection: a WSGI application
    # may not send the hop-by-hop Connection header.)
    return error_page(request, "文件过大", too_large_message(limit), 413)


STORAGE_UNAVAILABLE = "存储空间不足或存储服务不可用，文件未保存，请稍后重试。"
STORAGE_KEPT = "您填写的内容没有丢失：已填回下方，重新选择文件后即可再次提交；返回原页面时也会自动恢复。"
STORAGE_UNREADABLE = "存储服务暂时不可用，文件无法读取，请稍后重试。"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def storage_unavailable(request, exc):
    """The store failed under a view (liuhen.media.store.StorageError): 507 for a posted form —
    nothing saved, what was typed re-rendered in a form that posts again (files must be chosen
    again: a browser never hands them back) — and 503 for a read. Recorded as a refused act."""
    import errno

    writing = request.method in BODY_METHODS
    full = getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT)
    status = 507 if writing else 503
    lines = [STORAGE_UNAVAILABLE, STORAGE_KEPT] if writing else [STORAGE_UNREADABLE]
    if request.user.is_authenticated:
        refusals.record_refusal(request, "web.refused", lines, status=status,
                                errors=[_code("storage_full" if full else "storage_unavailable")])
    if not writing:
        return error_page(request, "存储服务暂不可用", lines, status, headers={"Retry-After": "60"})
    response = render(request, "web/507.html", {
        "title": "文件未保存", "lines": lines, "back": back_url(request), "retry": _retry_form(request),
    }, status=status)
    response["Retry-After"] = "60"
    return response


def _retry_form(request) -> dict:
    """What the refused form posted, to post again: the fields the view named (request.form_labels)
    shown to edit, the others kept as they were sent; one file chooser per file field that was sent."""
    labels = getattr(request, "form_labels", None) or {}
    shown, kept = [], []
    for name in request.POST:
        # (a file input left empty beside one that was used arrives as an empty field of its name)
        if name == "csrfmiddlewaretoken" or name in request.FILES:
            continue
        for value in request.POST.getlist(name):
            if name in labels:
                shown.append({"name": name, "label": labels[name], "value": value,
                              "multiline": "\n" in value or len(value) > 80})
            else:
                kept.append({"name": name, "value": value})
    files = [{"name": name, "label": labels.get(name, "文件"), "multiple": len(request.FILES.getlist(name)) > 1}
             for name in request.FILES]
    return {"action": request.get_full_path(), "shown": shown, "kept": kept, "files": files}


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form came from a page too old (or from elsewhere). Nothing was saved."""
    refusals.record_refusal(request, "web.refused", ["csrf"], status=403, errors=[_code("csrf")])
    messages = ["页面已过期或来源无法验证，本次提交没有保存。",
                "请返回原页面刷新后重新提交；若已退出登录，请先登录。"]
    return error_page(request, "提交未被接受", messages, 403)


def _code(code: str):
    from django.core.exceptions import ValidationError

    return ValidationError("", code=code)
