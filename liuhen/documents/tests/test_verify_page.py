"""The public verification page /v/<token> (扫码验真): no login, the document's name, 文号, agency,
date and status (valid / voided / revoked / replaced), the issue event's inclusion proof against the
latest signed checkpoint (pending when newer), the sealed PDF's SHA-256 — and no personal data. An
uploaded PDF is compared byte for byte (the sealed PDF, its PDF/A copy, a tampered copy); bad input
gets a Chinese message and a 4xx, nothing stored. Every view, check and refusal is a read in the
ledger with no actor and no client address. The QR code in the PDF points at this page."""
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from liuhen.documents import public_views, services
from liuhen.documents import vocabulary as v
from liuhen.documents.models import IssuedDocument
from liuhen.ledger.models import Checkpoint, Sequenced
from liuhen.ledger.storage import integrate_all
from liuhen.media.models import Blob
from liuhen.testing.cases import PERSON_ID
from liuhen.testing.documents_verify import events, issued, later_version, stored, tampered

pytestmark = pytest.mark.usefixtures("fresh_home")


def url(doc):
    return reverse("document_verify", args=[doc.token])


def html(response) -> str:
    return response.content.decode()


def _post(client, doc, data: bytes | None, name="文书.pdf", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = {} if data is None else {"pdf": SimpleUploadedFile(name, data, content_type="application/pdf")}
    return client.post(url(doc), form, **extra)


@pytest.fixture
def _scene(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    # built once per run and copied in with its keys and files (liuhen.testing.demo): verify_page_scene
    from liuhen.testing.demo import restore_scene, scene_snapshot

    snapshot = scene_snapshot("liuhen.testing.documents_verify:verify_page_scene", tmp_path_factory,
                              django_db_blocker, replay_changes=True)
    return restore_scene(snapshot, fresh_home, settings.LIUHEN_BLOB_DIR)


@pytest.fixture
def world(_scene):
    """The scene's world (the root conftest's, with the document below issued in it)."""
    return _scene[0]


@pytest.fixture
def doc(_scene):
    """A complete 询问笔录 issued, the issue in a signed checkpoint."""
    return _scene[1]


# ---- the page ----------------------------------------------------------------------------------------

@pytest.mark.pages_only
def test_the_page_shows_the_document_and_its_proof_without_login(client, world, doc):
    response = client.get(url(doc))
    assert response.status_code == 200
    page = html(response)
    for text in ("询问笔录", doc.number.text, world.agency.name, "有效", doc.pdf_sha256, doc.archive_sha256,
                 'data-status="valid"', 'data-proof="ok"', "验证通过"):
        assert text in page, text
    entry = events(v.ISSUE)[0]
    seq = Sequenced.objects.get(entry__action=v.ISSUE).seq
    ckpt = Checkpoint.objects.order_by("-id").first()
    assert f"<dd>{seq}</dd>" in page and ckpt.root_hash in page and f"树规模 {ckpt.size}" in page
    assert ckpt.note.splitlines()[0] in page  # the signed note's text
    assert entry["detail"]["pdf_sha256"] == doc.pdf_sha256
    # the public base: no staff navigation, no login box, no logout
    assert 'class="pub-top"' in page and 'class="topbar"' not in page
    assert "退出" not in page and 'name="password"' not in page and "/login/" not in page


def test_the_proof_shown_is_the_ledgers_and_verifies_independently(client, doc):
    from liuhen.documents import selectors
    from liuhen.ledger.config import hash_algo
    from liuhen.ledger.core import tree
    from liuhen.ledger.signing import verifier

    proof = selectors.inclusion_proof(doc)
    assert proof.verdict == "ok"
    tree.verify_inclusion(bytes.fromhex(proof.leaf_hash), proof.leaf_index, proof.tree_size,
                          [bytes.fromhex(h) for h in proof.path], bytes.fromhex(proof.root_hash), algo=hash_algo())
    [key] = proof.keys
    assert key["vkey"] == verifier().vkey() and key["key_id"] == verifier().key_id.hex()
    page = html(client.get(url(doc)))
    assert key["fingerprint"] in page and all(h in page for h in proof.path)


def test_an_issue_newer_than_the_checkpoint_is_pending_not_failed(client, world, doc):
    newer = issued(world)  # issued after the last checkpoint was signed
    page = html(client.get(url(newer)))
    assert 'data-proof="pending"' in page and "将包含在下一个检查点中" in page
    assert "验证未通过" not in page
    integrate_all()
    assert 'data-proof="ok"' in html(client.get(url(newer)))


@pytest.mark.pages_only
def test_no_personal_data_on_the_page(client, world, doc):
    """The party's name, address and ID number, the officers' names and usernames: never."""
    page = html(client.get(url(doc)))
    party = doc.record.case.parties.get()
    assert party.name == "王五"
    for private in ("王五", party.address, PERSON_ID, world.officer.full_name,
                    world.officer2.full_name, world.officer.username, doc.record.case.title):
        assert private not in page, private
    check = html(_post(client, doc, stored(doc.pdf_sha256)))
    assert "王五" not in check and world.officer.full_name not in check


def test_the_page_and_its_checks_are_reads_without_actor_or_address(client, doc):
    client.get(url(doc), REMOTE_ADDR="203.0.113.7")
    _post(client, doc, stored(doc.pdf_sha256), REMOTE_ADDR="203.0.113.7")
    _post(client, doc, b"not a pdf", REMOTE_ADDR="203.0.113.7")
    [view] = events(v.PUBLIC_VIEW)
    [check] = events(v.PUBLIC_CHECK)
    refused = events(v.REFUSED)[-1]
    for e in (view, check, refused):
        assert e["actor"] is None and e["request"]["ip"] == "" and "203.0.113.7" not in str(e)
        assert e["object"]["type"] == "issued_document" and e["object"]["id"] == str(doc.pk)
    assert view["detail"] == {"issued_document": doc.pk}
    assert check["detail"] == {"issued_document": doc.pk, "sha256": doc.pdf_sha256, "verdict": v.MATCH_PDF}
    assert refused["detail"] == {"act": "public_check", "codes": ["not_pdf"], "issued_document": doc.pk}


@pytest.mark.pages_only
def test_a_logged_in_user_sees_the_same_public_page(client, world, doc):
    client.force_login(world.officer)
    page = html(client.get(url(doc)))
    assert 'class="pub-top"' in page and "退出" not in page and world.officer.full_name not in page
    assert events(v.PUBLIC_VIEW)[0]["actor"] is None


# ---- statuses ------------------------------------------------------------------------------------------

def test_a_voided_document_says_so_with_its_reason(client, world, doc):
    services.void_number(world.agency_head, doc.number, "文号登记有误，未送达")
    page = html(client.get(url(doc)))
    assert 'data-status="voided"' in page and "已作废" in page and "文号登记有误，未送达" in page
    assert "pub-status-voided" in page


@pytest.mark.parametrize("reason, name", [("当事人王五名称有误", "王五"), ("张明填写有误", "张明"),
                                          ("刘局长决定作废", "刘局长")])
def test_a_void_reason_naming_a_person_is_withheld(client, world, doc, reason, name):
    services.void_number(world.agency_head, doc.number, reason)
    page = html(client.get(url(doc)))
    assert name not in page and "理由含个人信息，不予公开" in page


def test_a_revoked_document_says_so_with_its_reason(client, world, doc):
    services.revoke_document(world.agency_head, doc, "经行政复议决定撤销")
    page = html(client.get(url(doc)))
    assert 'data-status="revoked"' in page and "已撤销" in page and "经行政复议决定撤销" in page
    assert "pub-status-revoked" in page and "撤销理由" in page


def test_a_replaced_document_links_to_the_one_that_replaced_it(client, world, doc):
    later_version(world, doc.record)
    new = services.issue_document(world.unit_head, doc.record, reason="更正笔误")
    page = html(client.get(url(doc)))
    assert 'data-status="replaced"' in page and "已被替换" in page
    assert f'href="{url(new)}"' in page and new.number.text in page
    assert "更正笔误" not in page  # a replacement's reason is not published
    newer = html(client.get(url(new)))
    assert 'data-status="valid"' in newer and f'href="{url(doc)}"' in newer and doc.number.text in newer


# ---- unknown and malformed links -------------------------------------------------------------------------

@pytest.mark.parametrize("token, code", [("AAAAAAAAAAA", "unknown_token"), ("abc!def", "bad_token"),
                                         ("x" * 40, "bad_token"), ("a/b", "bad_token"),
                                         ("%E7%8E%8B", "bad_token")])
@pytest.mark.pages_only
def test_an_unknown_or_malformed_token_is_the_public_404(client, world, doc, token, code):
    response = client.get(f"/v/{token}")
    assert response.status_code == 404
    page = html(response)
    assert "未找到该文书" in page and 'class="pub-top"' in page and 'class="topbar"' not in page
    refused = events(v.REFUSED)[-1]
    assert refused["detail"] == {"act": "public_view", "codes": [code]} and refused["actor"] is None
    assert refused["request"]["ip"] == ""
    assert not events(v.PUBLIC_VIEW)


# ---- the upload check ------------------------------------------------------------------------------------

@pytest.mark.pages_only
def test_the_issued_pdf_matches(client, doc):
    blobs = Blob.objects.count()
    response = _post(client, doc, stored(doc.pdf_sha256))
    assert response.status_code == 200
    page = html(response)
    assert "与签发文书逐字节一致" in page and 'data-verdict="match_pdf"' in page and "签发的盖章文书" in page
    assert Blob.objects.count() == blobs


@pytest.mark.pages_only
def test_a_tampered_pdf_does_not_match_and_both_hashes_are_shown(client, doc):
    import hashlib

    data = tampered(stored(doc.pdf_sha256))
    response = _post(client, doc, data)
    assert response.status_code == 200
    page = html(response)
    assert "与签发文书不一致" in page and 'data-verdict="mismatch"' in page
    assert hashlib.sha256(data).hexdigest() in page and doc.pdf_sha256 in page
    assert events(v.PUBLIC_CHECK)[0]["detail"]["verdict"] == v.MISMATCH


@pytest.mark.pages_only
def test_the_archive_copy_matches_as_the_archive_copy(client, doc):
    page = html(_post(client, doc, stored(doc.archive_sha256)))
    assert "与签发文书逐字节一致" in page and 'data-verdict="match_archive"' in page and "PDF/A 归档件" in page


def test_a_match_on_a_revoked_document_still_says_it_is_revoked(client, world, doc):
    services.revoke_document(world.agency_head, doc, "自行纠正")
    page = html(_post(client, doc, stored(doc.pdf_sha256)))
    assert "与签发文书逐字节一致" in page and "该文书当前状态为“已撤销”" in page


@pytest.mark.pages_only
def test_a_stored_copy_that_no_longer_has_its_hash_is_said(client, doc):
    from liuhen.media import store

    data = stored(doc.pdf_sha256)
    path = store.path_for(doc.pdf_sha256)
    path.chmod(0o644)
    path.write_bytes(tampered(data))
    page = html(_post(client, doc, data))
    assert "与签发文书逐字节一致" in page and "签发机关存储的副本已无法核对" in page


@pytest.mark.parametrize("data, code, words", [
    (None, "no_file", "请选择要比对的 PDF 文件"),
    (b"", "empty", "上传的文件是空的"),
    (b"PK\x03\x04 a word file", "not_pdf", "不是 PDF 文件"),
    (b" %PDF-1.7", "not_pdf", "不是 PDF 文件"),
])
@pytest.mark.pages_only
def test_bad_uploads_are_400_with_a_chinese_message(client, doc, data, code, words):
    blobs = Blob.objects.count()
    response = _post(client, doc, data)
    assert response.status_code == 400
    page = html(response)
    assert words in page and 'role="alert"' in page and doc.number.text in page  # the page, with the message
    assert Blob.objects.count() == blobs and not events(v.PUBLIC_CHECK)
    assert events(v.REFUSED)[-1]["detail"]["codes"] == [code]


@pytest.mark.pages_only
def test_a_body_over_the_limit_is_refused_before_it_is_read(client, doc):
    # The Content-Length says 3 GiB, the body holds 10 bytes: reading it would fail the test client.
    response = client.generic("POST", url(doc), b"0123456789", content_type="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(3 * 1024**3))
    assert response.status_code == 413
    assert "超过了 20 MB" in html(response) and 'class="pub-top"' in html(response)
    assert events(v.REFUSED)[-1]["detail"]["codes"] == ["too_large"]


@pytest.mark.pages_only
def test_a_file_over_the_limit_is_stopped_as_it_arrives(client, doc):
    data = b"%PDF-" + b"0" * public_views.CHECK_MAX_BYTES  # one file of 20 MB + 5 bytes, within the envelope slack
    response = _post(client, doc, data)
    assert response.status_code == 413 and "超过了 20 MB" in html(response)
    assert not events(v.PUBLIC_CHECK) and events(v.REFUSED)[-1]["detail"]["codes"] == ["too_large"]


@pytest.mark.pages_only
@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_another_method_is_405(client, doc, method):
    response = client.generic(method, url(doc), b"x")
    assert response.status_code == 405 and set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}
    assert "只能查看" in html(response) and 'class="pub-top"' in html(response)
    assert events(v.REFUSED)[-1]["detail"]["codes"] == ["method"]


@pytest.mark.pages_only
def test_the_form_works_anonymously_with_django_csrf(doc):
    """An anonymous POST is not sent to the login page; without the CSRF cookie and token it is
    refused (403), with them it is checked."""
    browser = Client(enforce_csrf_checks=True)
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = stored(doc.pdf_sha256)
    response = browser.post(url(doc), {"pdf": SimpleUploadedFile("a.pdf", data)})
    assert response.status_code == 403
    browser.get(url(doc))
    token = browser.cookies["csrftoken"].value
    response = browser.post(url(doc), {"csrfmiddlewaretoken": token, "pdf": SimpleUploadedFile("a.pdf", data)})
    assert response.status_code == 200 and "与签发文书逐字节一致" in html(response)


@pytest.mark.pages_only
def test_the_document_itself_is_never_served(client, doc):
    for path in (url(doc) + ".pdf", url(doc) + "/pdf", url(doc) + "/download"):
        response = client.get(path)
        assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
        assert b"%PDF-" not in response.content


# ---- the QR code points here -------------------------------------------------------------------------------

def test_the_qr_code_in_the_issued_pdf_is_the_link_of_this_page(world, settings, tmp_path):
    """The QR image in the sealed PDF is, pixel for pixel, the QR code of LIUHEN_PUBLIC_URL + the
    path `reverse` gives this view for the token. (The link is not printed as text under the QR:
    the layout, page.html, prints "扫码验真"; the image is compared instead of decoded.)"""
    import base64
    import io

    from PIL import Image, ImageChops

    from liuhen.documents.render import qr_data_uri

    settings.LIUHEN_PUBLIC_URL = "https://zf.example.gov.cn"
    doc = issued(world)
    expected_url = "https://zf.example.gov.cn" + url(doc)
    assert services.verify_url(doc.token) == expected_url
    pdf = tmp_path / "issued.pdf"
    pdf.write_bytes(stored(doc.pdf_sha256))
    subprocess.run(["pdfimages", "-png", str(pdf), str(tmp_path / "img")], check=True)
    expected = Image.open(io.BytesIO(base64.b64decode(qr_data_uri(expected_url).split(",", 1)[1]))).convert("L")
    other = Image.open(io.BytesIO(base64.b64decode(qr_data_uri(expected_url + "x").split(",", 1)[1]))).convert("L")

    def same(a, b):
        return a.size == b.size and ImageChops.difference(a, b).getbbox() is None

    images = [Image.open(p).convert("L") for p in sorted(tmp_path.glob("img-*.png"))]
    assert any(same(i, expected) for i in images)
    assert not any(same(i, other) for i in images)  # the comparison tells two links apart
    assert IssuedDocument.objects.get(token=doc.token) == doc
