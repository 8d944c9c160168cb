"""Upload size limit while the body streams in (上传大小限制).

`BodyGuardMiddleware` refuses a body whose Content-Length is over the limit before a byte of it is
read. This handler, first in FILE_UPLOAD_HANDLERS, is the second line: it counts the bytes of the
files as Django's multipart parser hands them over and stops the parse (StopUpload, nothing more is
read and what was spooled is closed and deleted) as soon as they pass LIUHEN_MAX_UPLOAD_BYTES. It
holds whatever the Content-Length said: a body without one or one that lies (an ASGI server hands
the body over as it comes), a multipart overhead allowance the middleware had to grant.
"""
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

TOO_LARGE = "_liuhen_upload_too_large"


def upload_limit() -> int:
    return settings.LIUHEN_MAX_UPLOAD_BYTES


def too_large_message(limit: int | None = None) -> str:
    return f"上传的文件超过了大小上限（最大 {human_size(limit or upload_limit())}），未保存。请压缩或分成几个文件后重新上传。"


def human_size(n: int) -> str:
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} 字节"


class LimitedUploadHandler(FileUploadHandler):
    """Counts the file bytes of one request; past the limit, marks the request and stops."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.limit = upload_limit()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                setattr(self.request, TOO_LARGE, True)
            # connection_reset: do not read (exhaust) the rest of the body either.
            raise StopUpload(connection_reset=True)
        return raw_data  # the next handler (memory, then temporary file) stores it

    def file_complete(self, file_size):
        return None
