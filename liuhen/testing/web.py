"""Helpers for tests of the web edge: raw HTTP against a live server, a real session cookie."""
import socket
from urllib.parse import urlsplit

CSRF_SECRET = "A" * 32  # a CSRF cookie value Django accepts (32 letters); sent back as the form token


def session_cookie(user) -> str:
    """A real session for `user` (stored in the database, as a login would), as its cookie value."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def multipart(fields: dict, filename: str, size: int, boundary: str = "LiuhenEdgeBoundary") -> tuple[bytes, bytes, str]:
    """(head, tail, content type) of a multipart body whose file part holds `size` bytes: head is
    everything before the file's bytes, tail everything after them."""
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items())
    head += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
             "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return head, tail, f"multipart/form-data; boundary={boundary}"


class RawResponse:
    def __init__(self, status: int, headers: dict, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def send_partial(base_url: str, method: str, path: str, headers: dict, chunks, *, timeout: float = 20.0):
    """Open a connection, send the request line, `headers` and then each of `chunks` (bytes; a body
    may be sent only in part: the connection stays open), then read ONE response by its
    Content-Length without closing first. Returns (RawResponse, socket): the caller closes it.

    A server that waits for the rest of a body it means to read sends no response: the read then
    fails with socket.timeout after `timeout` seconds — the test fails, it never hangs."""
    url = urlsplit(base_url)
    sock = socket.create_connection((url.hostname, url.port), timeout=timeout)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {url.hostname}:{url.port}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    for chunk in chunks:
        try:
            sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            break  # the server answered and stopped reading: the answer is what counts
    return _read_response(sock), sock


def _read_response(sock) -> RawResponse:
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = sock.recv(65536)
        if not data:
            raise ConnectionError(f"connection closed before a response: {buf[:200]!r}")
        buf += data
    head, _, rest = buf.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        data = sock.recv(65536)
        if not data:
            break
        rest += data
    return RawResponse(int(status_line.split()[1]), headers, rest[:length])


def tree_size(path) -> int:
    """Bytes of all files under `path` now."""
    from pathlib import Path

    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


INSPECTION = {"time": "2026-03-02T09:30", "place": "某村三号取水口", "certificates_shown": True,
              "present": "村委会主任", "findings": "现场发现水泵正在取水。"}
PARTY_NAME = "王某"


def case_in_investigation(world):
    """A case of world.officer (with world.officer2) in 调查取证, with one natural-person party."""
    from liuhen.cases import services as cases
    from liuhen.cases.validators import id_check_char

    case = world.open_case()
    first17 = "11010519491231002"
    cases.add_party(world.officer, case, kind="person", name=PARTY_NAME, id_number=first17 + id_check_char(first17))
    return world.to_investigation(case)


def inspection_record(world, case=None):
    from liuhen.records import services as records
    from liuhen.records.models import RecordType

    case = case or case_in_investigation(world)
    return records.create_record(world.officer, case, RecordType.objects.get(code="inspection_record"),
                                 dict(INSPECTION))


def form_data(content: dict, **extra) -> dict:
    """Record content as a browser posts it (a checkbox is sent only when ticked)."""
    data = {k: v for k, v in content.items() if not isinstance(v, bool)}
    data.update({k: "on" for k, v in content.items() if v is True})
    data.update(extra)
    return data
