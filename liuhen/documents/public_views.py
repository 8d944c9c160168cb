"""The public verification page of an issued document (扫码验真, ISSUE 16 item 4): `/v/<token>`, the
link the QR code on every sealed PDF carries. No login: a party, a bank, a court clerk holding the
paper opens it on a phone.

It shows the document's name, 文号, agency, date and status (valid / voided / revoked / replaced,
with the reason of a void or revocation and a link to the document that replaced it), the SHA-256
of the sealed PDF and the inclusion proof of the issue's ledger event against the latest signed
checkpoint, checked here with the ledger's own verifier. No personal data: never the party, an
address, an ID number, the body text or an officer's name; the document itself is never served
(it holds all of these).

Anyone may upload a PDF to learn whether it is byte for byte the issued sealed PDF or its PDF/A
archive copy (SHA-256 of the upload against the hashes the issue's event logged, and the stored
copy re-hashed). The upload is hashed as it streams in and never stored. Its size is refused from
the Content-Length before a byte is read (CHECK_MAX_BYTES), and counted as it arrives for a body
that lies; no file, an empty one, one that is not a PDF: a Chinese message and 400.

Every view and every check is a read in the ledger (documents.public_view / public_check, actor
None, never the client's address); every refusal too (documents.refused, its act and code).
"""
import hashlib

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from . import selectors, services

CHECK_MAX_BYTES = 20 * 1024 * 1024  # an issued document is a few hundred KB; 20 MB takes any scan of it
BODY_SLACK = 64 * 1024  # the multipart envelope and the CSRF field around the file
PDF_MAGIC = b"%PDF-"
FILE_FIELD = "pdf"
ALLOWED = ("GET", "HEAD", "POST")
_TOO_LARGE = "_liuhen_check_too_large"

MESSAGES = {
    "no_file": "请选择要比对的 PDF 文件。",
    "empty": "上传的文件是空的（0 字节），请重新选择文书的 PDF 文件。",
    "not_pdf": "上传的文件不是 PDF 文件（文件开头不是“%PDF-”），请上传收到的电子文书 PDF。",
    "too_large": f"上传的文件超过了 {CHECK_MAX_BYTES // (1024 * 1024)} MB，未予比对。电子文书一般不超过 1 MB，请确认选择的文件。",
    "no_length": "上传请求缺少长度信息，请使用浏览器重新上传。",
    "method": "此页面只能查看，或通过页面上的表单上传 PDF 进行比对。",
}


class _CheckLimit(FileUploadHandler):
    """Counts the upload's bytes as they arrive and stops the parse past CHECK_MAX_BYTES (the body
    may lie about its length): nothing more is read, what was spooled is closed and deleted."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > CHECK_MAX_BYTES:
            setattr(self.request, _TOO_LARGE, True)
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def _content_length(request):
    try:
        n = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return n if n >= 0 else None


def _error(request, title: str, message: str, status: int, *, back: str = "", headers=None):
    response = render(request, "documents/public/error.html",
                      {"title": title, "message": message, "back": back}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def not_found(request):
    return _error(request, "未找到该文书",
                  "验真链接无效：没有与之对应的执法文书。请核对二维码或链接是否完整，或向签发机关核实。", 404)


def _page(request, doc, *, facts=None, check=None, error: str = "", status: int = 200):
    facts = facts or selectors.public_facts(doc)
    return render(request, "documents/public/verify.html", {
        "facts": facts, "proof": selectors.inclusion_proof(doc), "check": check, "error": error,
        "max_mb": CHECK_MAX_BYTES // (1024 * 1024),
        "replacement_url": reverse("document_verify", args=[facts.replacement.token]) if facts.replacement else "",
        "replaces_url": reverse("document_verify", args=[facts.replaces.token]) if facts.replaces else "",
    }, status=status)


@csrf_exempt  # CSRF is checked by _check, once the upload's own limit is in place (Django's pattern)
def verify(request, token):
    """扫码验真: the page of the issued document `token` names (GET), and the comparison of an
    uploaded PDF with it (POST)."""
    doc = selectors.by_token(token)
    if doc is None:
        code = "unknown_token" if selectors.well_formed_token(token) else "bad_token"
        services.log_public_refusal("public_view", code, path=request.path)
        return not_found(request)
    back = reverse("document_verify", args=[doc.token])
    if request.method in ("GET", "HEAD"):
        services.log_public_view(doc)
        return _page(request, doc)
    if request.method != "POST":
        services.log_public_refusal("public_check", "method", doc)
        return _error(request, "不支持该操作方式", MESSAGES["method"], 405, back=back,
                      headers={"Allow": ", ".join(ALLOWED)})
    length = _content_length(request)
    if length is None:
        services.log_public_refusal("public_check", "no_length", doc)
        return _error(request, "请求无效", MESSAGES["no_length"], 411, back=back)
    if length > CHECK_MAX_BYTES + BODY_SLACK:  # refused before a byte of the body is read
        services.log_public_refusal("public_check", "too_large", doc)
        return _error(request, "文件过大", MESSAGES["too_large"], 413, back=back)
    request.upload_handlers.insert(0, _CheckLimit(request))
    return _check(request, doc)


@csrf_protect
def _check(request, doc):
    files = request.FILES  # parses the body, through _CheckLimit
    if getattr(request, _TOO_LARGE, False):
        services.log_public_refusal("public_check", "too_large", doc)
        return _error(request, "文件过大", MESSAGES["too_large"], 413,
                      back=reverse("document_verify", args=[doc.token]))
    upload = files.get(FILE_FIELD)
    code = None
    if upload is None:
        code = "no_file"
    elif upload.size == 0:
        code = "empty"
    else:
        upload.seek(0)
        if upload.read(len(PDF_MAGIC)) != PDF_MAGIC:
            code = "not_pdf"
    if code is not None:
        services.log_public_refusal("public_check", code, doc)
        return _page(request, doc, error=MESSAGES[code], status=400)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.close()  # a spooled temporary file is deleted now: the upload is never kept
    facts = selectors.public_facts(doc)
    check = selectors.check_upload(facts, digest.hexdigest())
    services.log_public_check(doc, check.sha256, check.verdict)
    return _page(request, doc, facts=facts, check=check)


# The web edge (liuhen.web.middleware.BodyGuardMiddleware) sends an anonymous body to the login
# page unless the view says it takes one and refuses an oversized one itself, as `verify` does.
verify.polices_anonymous_body = True

__all__ = ["verify", "not_found", "CHECK_MAX_BYTES", "MESSAGES"]
