"""Chinese error pages with a way back (400, 404, 405, 413, CSRF, 500); unknown and forbidden ids
answer alike; ids too long for the database are a bad request; the headers every page carries."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from liuhen.ledger.models import Entry
from liuhen.records import services as records
from liuhen.records.models import Signature
from liuhen.testing.web import PARTY_NAME, inspection_record

HUGE = "99999999999999999999999"


def body(response) -> str:
    return response.content.decode("utf-8")


def without_tokens(html: str) -> str:
    """The page without its CSRF tokens (masked anew at every render)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', html)


# ---- 500 ------------------------------------------------------------------------------------


@pytest.mark.pages_only
@pytest.mark.urls("liuhen.testing.web_urls")
def test_500_page_is_chinese(client, world):
    client.raise_request_exception = False
    client.force_login(world.officer)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = body(response)
    assert "系统出错" in html and "请联系系统管理员" in html and 'href="/"' in html
    assert "a bug in a view" not in html


def test_500_page_needs_no_context_nor_database(rf):
    """No db fixture: pytest-django refuses any query, so the page renders with the database down."""
    from liuhen.web.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500 and "系统出错" in body(response)


def test_handler500_is_set():
    from liuhen import urls

    assert urls.handler500 == "liuhen.web.views.server_error"


# ---- 405 ------------------------------------------------------------------------------------


def test_405_is_a_chinese_page_keeping_allow(client, world):
    case = world.open_case()
    client.force_login(world.officer)
    response = client.get(f"/cases/{case.pk}/advance/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "不支持该操作方式" in body(response)
    assert f'href="/"' in body(response)


# ---- CSRF -----------------------------------------------------------------------------------


def test_csrf_failure_is_a_chinese_page_with_a_way_back_and_recorded(world):
    case = world.open_case()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer)
    response = client.post(f"/cases/{case.pk}/advance/", {"note": ""},
                           HTTP_REFERER=f"http://testserver/cases/{case.pk}/")
    assert response.status_code == 403
    html = body(response)
    assert "提交未被接受" in html and "本次提交没有保存" in html
    assert f'href="/cases/{case.pk}/"' in html  # back to the page the form was on
    entry = Entry.objects.filter(action="web.refused").latest("id")
    assert entry.actor_id == world.officer.pk and entry.object_id == f"/cases/{case.pk}/advance/"
    assert not Entry.objects.filter(action="case.transition").exists()


@pytest.mark.pages_only
def test_csrf_failure_on_the_login_page(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "zhang", "password": world.PASSWORD})
    assert response.status_code == 403 and "提交未被接受" in body(response)


# ---- ids: unknown and forbidden alike, huge ones a bad request -------------------------------


@pytest.fixture
def objects(world):
    record = inspection_record(world)
    att = records.attach(world.officer, record, SimpleUploadedFile("a.txt", b"evidence"), "a.txt")
    records.record_other_signature(world.officer, record, role="party", signer_name=PARTY_NAME, refused=True,
                                   reason="拒签")
    sig = Signature.objects.get(record=record, role="party")
    return {"case": record.case_id, "record": record.pk, "attachment": att.pk, "signature": sig.pk}


URLS = [  # (method, url pattern, object type)
    ("get", "/cases/{case}/", "case"),
    ("post", "/cases/{case}/advance/", "case"),
    ("get", "/records/new/{case}/?type=inspection_record", "case"),
    ("get", "/records/{record}/", "record"),
    ("get", "/records/{record}/proof/", "record"),
    ("post", "/records/{record}/void/", "record"),
    ("get", "/records/attachments/{attachment}/", "attachment"),
    ("post", "/records/signatures/{signature}/confirm/", "signature"),
]


@pytest.mark.pages_only
@pytest.mark.parametrize("method, pattern, object_type", URLS)
def test_forbidden_and_unknown_ids_answer_alike(client, world, objects, method, pattern, object_type):
    client.force_login(world.outsider)  # another unit: may not see the case
    forbidden = getattr(client, method)(pattern.format(**objects))
    unknown = getattr(client, method)(pattern.format(**{k: v + 1000 for k, v in objects.items()}))
    assert forbidden.status_code == unknown.status_code == 404
    assert without_tokens(body(forbidden)) == without_tokens(body(unknown))
    assert "页面不存在" in body(forbidden)
    denied = Entry.objects.filter(action="access.denied").latest("id")  # the forbidden one is recorded
    assert denied.actor_id == world.outsider.pk
    assert (denied.object_type, denied.object_id) == (object_type, str(objects[object_type]))
    assert Entry.objects.filter(action="access.denied").count() == 1


@pytest.mark.parametrize("method, pattern", [
    ("get", f"/cases/{HUGE}/"), ("post", f"/cases/{HUGE}/parties/add/"), ("post", f"/cases/{HUGE}/advance/"),
    ("get", f"/records/new/{HUGE}/?type=inspection_record"), ("get", f"/records/{HUGE}/"),
    ("get", f"/records/{HUGE}/edit/"), ("post", f"/records/{HUGE}/sign/"), ("get", f"/records/{HUGE}/proof/"),
    ("get", f"/records/attachments/{HUGE}/"), ("post", f"/records/signatures/{HUGE}/confirm/"),
    ("get", "/records/9223372036854775808/"),  # 2**63: one past the largest 64-bit id
])
def test_a_huge_id_is_400(client, world, method, pattern):
    client.force_login(world.officer)
    response = getattr(client, method)(pattern)
    assert response.status_code == 400
    assert "地址中的编号无效" in body(response)


def test_an_18_digit_id_is_just_not_found(client, world):
    client.force_login(world.officer)
    assert client.get("/cases/999999999999999999/").status_code == 404


# ---- headers --------------------------------------------------------------------------------


@pytest.mark.pages_only
def test_pages_and_downloads_are_not_stored_static_files_are(client, world, objects):
    client.force_login(world.officer)
    for url in ["/cases/", f"/cases/{objects['case']}/", f"/records/{objects['record']}/",
                f"/records/attachments/{objects['attachment']}/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    static = client.get("/static/liuhen/liuhen.css")
    assert static.status_code == 200 and "no-store" not in static.get("Cache-Control", "")


INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>"),  # a script with no src
    re.compile(r"<style"), re.compile(r'\sstyle="'), re.compile(r'\son[a-z]+="'), re.compile(r"javascript:"),
]


@pytest.mark.pages_only
def test_content_security_policy_and_no_inline_script_or_style(client, world, objects):
    pages = []
    pages.append(client.get("/login/"))
    client.force_login(world.officer)
    for url in ["/cases/", "/cases/new/", f"/cases/{objects['case']}/", f"/records/{objects['record']}/",
                f"/records/{objects['record']}/edit/", f"/records/{objects['record']}/proof/",
                f"/cases/{objects['case']}/parties/add/", "/cases/1234/"]:
        pages.append(client.get(url))
    pages.append(client.get(f"/cases/{objects['case']}/advance/"))  # 405
    for response in pages:
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        html = body(response)
        for pattern in INLINE:
            assert not pattern.search(html), (response.wsgi_request.path, pattern.pattern, pattern.search(html))
    assert pages[0]["X-Content-Type-Options"] == "nosniff"
    assert pages[0]["X-Frame-Options"] == "DENY"


def _settings_with(env: dict) -> dict:
    code = ("import json, django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'liuhen.settings'); "
            "django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k, None) "
            "for k in ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
            "'SECURE_PROXY_SSL_HEADER', 'SECURE_SSL_REDIRECT']}))")
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(root), **env},
                         capture_output=True, text=True, check=True)
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def test_https_setting_makes_cookies_secure_and_sends_hsts(tmp_path):
    on = _settings_with({"LIUHEN_HTTPS": "1", "LIUHEN_HOME": str(tmp_path)})
    assert on == {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SECURE_HSTS_SECONDS": 31536000,
                  "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"], "SECURE_SSL_REDIRECT": True}
    off = _settings_with({"LIUHEN_HTTPS": "0", "LIUHEN_HOME": str(tmp_path)})
    assert off["SESSION_COOKIE_SECURE"] is False and off["SECURE_HSTS_SECONDS"] == 0


@pytest.mark.pages_only
def test_a_host_we_do_not_serve_gets_the_400_page(client, world):
    response = client.get("/login/", HTTP_HOST="evil.example", HTTP_REFERER="http://evil.example/x/")
    assert response.status_code == 400 and "请求无效" in body(response)
