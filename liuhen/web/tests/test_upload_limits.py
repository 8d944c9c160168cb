"""Bodies are refused before they are read: anonymous ones go to login, ones over the limit get 413,
and an upload that passes the limit while it streams is stopped there (web/middleware.py, uploads.py).

The live-server tests speak raw HTTP: they send the headers and only PART of the body, then wait
for the answer with the connection open. A server that reads the body would wait for the rest and
never answer (the read fails after its timeout); one that refuses first answers at once. The
upload temp dir is measured while the connection is still open.
"""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liuhen.ledger.models import Entry
from liuhen.records.models import Attachment
from liuhen.testing.web import (CSRF_SECRET, inspection_record, multipart, send_partial, session_cookie,
                                tree_size)

MiB = 1024 * 1024


@pytest.fixture
def upload_dirs(settings, tmp_path):
    """Uploads spool to a temp dir of the test's own (and to disk from the first byte)."""
    tmp = tmp_path / "upload-tmp"
    tmp.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.LIUHEN_MAX_UPLOAD_BYTES = 1 * MiB
    return tmp


# ---- through the test client ----------------------------------------------------------------


def test_anonymous_post_is_sent_to_login_without_reading_the_body(client, world, upload_dirs):
    record = inspection_record(world)
    # The Content-Length says 3 GiB, the body holds 10 bytes: reading it would fail the test client
    # ("Cannot read more than the available bytes"); refusing first does not.
    response = client.generic("POST", f"/records/{record.pk}/attach/", b"0123456789",
                              content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(3 * 1024**3),
                              HTTP_REFERER=f"http://testserver/records/{record.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/records/{record.pk}/"  # the page the form was on
    assert not Attachment.objects.exists()


def test_anonymous_post_without_referer_goes_back_to_its_own_url(client, world):
    response = client.post("/cases/new/", {"title": "x"})
    assert response.status_code == 302 and response["Location"] == "/login/?next=/cases/new/"


def test_a_foreign_referer_is_not_followed(client, world):
    response = client.post("/cases/new/", {"title": "x"}, HTTP_REFERER="https://evil.example/cases/1/")
    assert response["Location"] == "/login/?next=/cases/new/"


def test_login_itself_takes_an_anonymous_body_but_a_small_one(client, world):
    response = client.post("/login/", {"username": "zhang", "password": world.PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/oversight/todo/"
    client.logout()
    response = client.generic("POST", "/login/", b"username=zhang", content_type="application/x-www-form-urlencoded",
                              CONTENT_LENGTH=str(10 * MiB))
    assert response.status_code == 413
    assert "文件过大" in response.content.decode() and "64 KB" in response.content.decode()


def test_content_length_over_the_limit_is_413_before_the_body_is_read(client, world, upload_dirs):
    record = inspection_record(world)
    client.force_login(world.officer)
    response = client.generic("POST", f"/records/{record.pk}/attach/", b"0123456789",
                              content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(3 * 1024**3))
    assert response.status_code == 413
    body = response.content.decode()
    assert "文件过大" in body and "上传的文件超过了大小上限（最大 1 MB）" in body
    assert not Attachment.objects.exists()
    refused = Entry.objects.get(action="web.refused")  # the refusal of the user's act is in the ledger
    assert refused.actor_id == world.officer.pk
    assert refused.object_type == "path" and refused.object_id == f"/records/{record.pk}/attach/"


def test_a_file_over_the_limit_within_the_allowance_is_stopped_by_the_upload_handler(client, world, upload_dirs):
    """Content-Length within the limit plus the form allowance: the middleware lets it through, the
    handler stops the parse as soon as the file passes the limit: 413, nothing stored."""
    record = inspection_record(world)
    client.force_login(world.officer)
    response = client.post(f"/records/{record.pk}/attach/",
                           {"file": SimpleUploadedFile("big.bin", b"x" * (MiB + 1))})
    assert response.status_code == 413
    assert "上传的文件超过了大小上限" in response.content.decode()
    assert not Attachment.objects.exists()
    assert tree_size(upload_dirs) == 0
    # exactly the limit is accepted
    response = client.post(f"/records/{record.pk}/attach/", {"file": SimpleUploadedFile("ok.bin", b"x" * MiB)})
    assert response.status_code == 302
    assert Attachment.objects.get().blob.size == MiB


def test_chunked_body_without_length_is_411(client, world):
    client.force_login(world.officer)
    response = client.generic("POST", "/cases/new/", b"", HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411
    assert "缺少长度信息" in response.content.decode()


# ---- against a live server, raw HTTP --------------------------------------------------------


@pytest.fixture
def attach_target(live_server, transactional_db, upload_dirs):
    from liuhen.testing.world import World

    world = World()
    record = inspection_record(world)
    cookie = f"sessionid={session_cookie(world.officer)}; csrftoken={CSRF_SECRET}"
    return live_server.url, f"/records/{record.pk}/attach/", cookie, upload_dirs


def test_live_declared_too_large_answers_413_while_the_body_is_still_unsent(attach_target):
    base, path, cookie, tmp = attach_target
    head, _tail, ctype = multipart({"csrfmiddlewaretoken": CSRF_SECRET}, "huge.bin", 0)
    declared = 1024**3  # 1 GiB announced; 256 KiB sent
    response, sock = send_partial(base, "POST", path, {
        "Cookie": cookie, "Content-Type": ctype, "Content-Length": str(declared)}, [head, b"x" * (256 * 1024)])
    try:
        assert response.status == 413
        assert "上传的文件超过了大小上限" in response.text
        assert tree_size(tmp) == 0  # nothing spooled to disk
    finally:
        sock.close()
    assert not Attachment.objects.exists()


def test_live_file_passing_the_limit_is_stopped_as_it_streams(attach_target):
    """The Content-Length is within the limit plus the form allowance; the file is 1.5 MiB against a
    1 MiB limit. All but the last byte is sent: the answer comes without it, and the temp dir never
    held more than the limit."""
    base, path, cookie, tmp = attach_target
    size = MiB + MiB // 2
    head, tail, ctype = multipart({"csrfmiddlewaretoken": CSRF_SECRET}, "big.bin", size)
    body = head + b"y" * size + tail
    response, sock = send_partial(base, "POST", path, {
        "Cookie": cookie, "Content-Type": ctype, "Content-Length": str(len(body))}, [body[:-1]])
    try:
        assert response.status == 413, response.text[:500]
        assert "上传的文件超过了大小上限（最大 1 MB）" in response.text
        assert tree_size(tmp) <= MiB
    finally:
        sock.close()
    assert not Attachment.objects.exists()


def test_live_anonymous_upload_goes_to_login_unread(live_server, transactional_db, upload_dirs):
    head, _tail, ctype = multipart({}, "huge.bin", 0)
    response, sock = send_partial(live_server.url, "POST", "/records/1/attach/", {
        "Content-Type": ctype, "Content-Length": str(1024**3),
        "Referer": f"{live_server.url}/records/1/"}, [head, b"z" * (256 * 1024)])
    try:
        assert response.status == 302
        assert response.headers["location"] == "/login/?next=/records/1/"
        assert tree_size(upload_dirs) == 0
    finally:
        sock.close()


class CountingReader:
    """A real file, read through: counts the bytes the parser took from it."""

    def __init__(self, f):
        self.f, self.taken = f, 0

    def read(self, n=-1):
        data = self.f.read(n)
        self.taken += len(data)
        return data


def test_handler_stops_a_body_whose_content_length_lies(rf, world, upload_dirs, tmp_path):
    """Django's multipart parser reads its stream to the end whatever the Content-Length says (as
    under an ASGI server, or a WSGI server that hands over a de-chunked body): the handler stops it
    at the limit. The body (1.5 MiB of file) claims to be 100 bytes long."""
    from django.core.files.uploadhandler import TemporaryFileUploadHandler
    from django.http.multipartparser import MultiPartParser

    from liuhen.web.uploads import TOO_LARGE, LimitedUploadHandler

    head, tail, ctype = multipart({"note": "x"}, "big.bin", 0)
    path = tmp_path / "body"
    path.write_bytes(head + b"w" * (MiB + MiB // 2) + tail)
    request = rf.post("/records/1/attach/")
    with path.open("rb") as f:
        stream = CountingReader(f)
        parser = MultiPartParser({"CONTENT_TYPE": ctype, "CONTENT_LENGTH": "100"}, stream,
                                 [LimitedUploadHandler(request), TemporaryFileUploadHandler(request)])
        post, files = parser.parse()
    assert getattr(request, TOO_LARGE) is True
    assert "file" not in files and post["note"] == "x"
    assert stream.taken <= MiB + 2 * 64 * 1024  # stopped within a chunk or two of the limit
    assert tree_size(upload_dirs) == 0  # what was spooled is deleted


def test_form_fields_over_their_size_are_413(client, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    client.force_login(world.officer)
    response = client.post("/cases/new/", {"title": "x", "summary": "长" * 40000})  # 120 000 bytes
    assert response.status_code == 413
    assert "提交的表单内容超过了上限" in response.content.decode()
