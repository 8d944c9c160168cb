"""The web edge (网络边界): what is refused before a view runs, and what every page carries.

`BodyGuardMiddleware` sits after AuthenticationMiddleware (it needs to know who asks) and before
anything reads `request.POST`/`FILES`: CsrfViewMiddleware reads them in its process_view, which
runs only after every middleware's request phase. So nothing here reads the body, and:

- an id of more than 18 digits in a URL (no table of ours has one; the database would overflow:
  500) is a bad request, 400;
- a body from a user who is not logged in (their session expired while they typed) is not read:
  they are sent to log in, and back to the page the form was on (the Referer, when it is ours);
  only the login forms take an anonymous body, of at most LIUHEN_MAX_ANONYMOUS_BODY_BYTES;
- a body whose Content-Length is over the upload limit is refused with 413 before a byte of it is
  read or spooled to disk (uploads.LimitedUploadHandler counts what arrives, for bodies that lie);
- a body sent without a Content-Length (chunked) is refused with 411: Django would read none of it.

`EdgeResponseMiddleware` (outermost of ours) turns Django's bare 405 into the Chinese page with its
Allow header, and marks every page it sees `Cache-Control: no-store`: pages and downloads of this
system carry case content and personal data, which no shared or browser cache may keep. Static
files are served by WhiteNoise before it and stay cacheable.

It also answers for the blob store, once for every view: a view that stops on
`liuhen.media.store.StorageError` (the disk full, the S3 service down) gets the Chinese 507 page
for a form it posted (nothing was saved: the services store files inside their transaction, so
no row names a file that was not kept), with what the user typed put back into a form that posts
again; 503 for a read. The refusal is recorded in the ledger. Never a 500. (A view may name its
fields for that page in `request.form_labels`; the JSON API answers 507 itself.)
"""
import re

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers

from . import views
from .uploads import TOO_LARGE, upload_limit

# Path segments that are all digits and longer than a 64-bit id can be (9 223 372 036 854 775 807
# has 19 digits): our ids have at most 18.
HUGE_ID = re.compile(r"(?:^|/)\d{19,}(?:/|$)")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _content_length(request) -> int | None:
    raw = request.META.get("CONTENT_LENGTH") or ""
    try:
        n = int(raw)
    except ValueError:
        return None
    return n if n >= 0 else None


def _anonymous_post_paths() -> frozenset[str]:
    paths = set()
    for name in ("login", "admin:login"):
        try:
            paths.add(reverse(name))
        except NoReverseMatch:
            pass
    return frozenset(paths)


def _polices_own_body(path: str) -> bool:
    """A public page that takes a body from anyone and refuses an oversized one itself, before it
    reads it (documents' verification page /v/<token> compares an uploaded PDF): its view says so
    with the attribute `polices_anonymous_body`."""
    try:
        return bool(getattr(resolve(path).func, "polices_anonymous_body", False))
    except Resolver404:
        return False


def body_limit() -> int:
    """Largest body an authenticated request may send: the files plus the form's other fields."""
    return upload_limit() + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class BodyGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._anonymous_paths = None

    def __call__(self, request):
        refused = self.refuse(request)
        if refused is not None:
            return refused
        response = self.get_response(request)
        if getattr(request, TOO_LARGE, False) and response.status_code != 413:
            # The view read the body itself and the upload handler stopped it: whatever the view
            # made of a body without its file, the answer is that the file was too large.
            response = views.too_large(request, upload_limit())
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # CsrfViewMiddleware's process_view (before this one) has parsed the form: if the upload
        # handler stopped it, the view does not run on a body without its file.
        if getattr(request, TOO_LARGE, False):
            return views.too_large(request, upload_limit())
        return None

    def refuse(self, request):
        if HUGE_ID.search(request.path_info):
            return views.error_page(request, "请求无效", "地址中的编号无效。", 400, back="/")
        if request.method not in BODY_METHODS:
            return None
        length = _content_length(request)
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not request.user.is_authenticated and request.path_info.startswith("/api/"):
            # The JSON API answers for itself: a docking station's token (401 if wrong, before any
            # body is read), a chunk over its cap refused by its Content-Length (footage/uploads.py).
            return None
        if not request.user.is_authenticated and _polices_own_body(request.path_info):
            return None
        if not request.user.is_authenticated:
            if self._anonymous_paths is None:
                self._anonymous_paths = _anonymous_post_paths()
            if request.path_info in self._anonymous_paths:
                limit = settings.LIUHEN_MAX_ANONYMOUS_BODY_BYTES
                if chunked or (length or 0) > limit:
                    return views.too_large(request, limit)
                return None
            # Session expired while the user typed: log in again, then back to the form's page,
            # where the browser still holds what was typed (static/liuhen/forms.js).
            return redirect_to_login(views.back_url(request, default=request.get_full_path()))
        if chunked and length is None:
            return views.error_page(request, "请求无效", "上传请求缺少长度信息，请使用浏览器重新上传。", 411)
        if (length or 0) > body_limit():
            return views.too_large(request, upload_limit())
        return None


class EdgeResponseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
            response = views.method_not_allowed(request, allowed)
        add_never_cache_headers(response)
        return response

    def process_exception(self, request, exception):
        from liuhen.media.store import StorageError

        if isinstance(exception, StorageError):
            return views.storage_unavailable(request, exception)
        return None
