"""Editing a profile: `liuhen profile check|load|show|list`, the admin (paste or upload the YAML, a
bad file a form error with its line), the page /profiles/ (the agency's 记录事项清单 with its
version history and a diff), and the 执法用语 shown where an officer is about to record an act."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liuhen.ledger.models import Entry
from liuhen.profiles import loader, selectors
from liuhen.profiles import vocabulary as V
from liuhen.profiles.models import ProfileVersion
from liuhen.testing.cases import to_investigation
from liuhen.testing.commands import run_command
from liuhen.testing.profiles import load, profile_text
from liuhen.testing.otp import login_verified

pytestmark = pytest.mark.usefixtures("fresh_home")

BAD = profile_text(body="deadlines:\n  - {id: d, label: 期限, start: case.started, period: 10 weeks, end: [case.archived], article: BX 11}\n")


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# ---- CLI ----------------------------------------------------------------------------------------------

@pytest.mark.pages_only
def test_check_accepts_a_good_file_and_names_each_error_of_a_bad_one(world, tmp_path):
    run = run_command("profile", "check", str(loader.DATA_DIR / "LQ.yaml"))
    assert run.code == 0 and "配置有效" in run.out and "LQ" in run.out
    run = run_command("profile", "check", write(tmp_path, "bad.yaml", BAD))
    assert run.code == 2 and "bad.yaml 第5行：期限（period）：期限“10 weeks”无效" in run.err
    assert run_command("profile", "check", str(tmp_path / "missing.yaml")).code == 2
    assert not ProfileVersion.objects.exists()


def test_load_show_and_list(world, tmp_path):
    assert "未载入配置" in run_command("profile", "list").out
    run = run_command("profile", "load", str(loader.DATA_DIR / "LW.yaml"), "--agency", world.agency.short_name,
                      "--reason", "采用陵川规则", "--as", world.sysadmin.username)
    assert run.code == 0 and "第1版" in run.out, run.err
    pv = ProfileVersion.objects.get()
    assert (pv.code, pv.loaded_by, pv.reason) == ("LW", world.sysadmin, "采用陵川规则")
    run = run_command("profile", "load", write(tmp_path, "bad.yaml", BAD), "--agency", world.agency.short_name)
    assert run.code == 2 and "现行的配置不变" in run.err and "第5行" in run.err
    assert ProfileVersion.objects.count() == 1 and selectors.active_profile(world.agency).code == "LW"
    show = run_command("profile", "show", "--agency", world.agency.short_name)
    assert show.code == 0 and "今天是×年×月×日，执法人员×××、×××" in show.out and "LW-L 16" in show.out
    assert "第1版" in run_command("profile", "list").out
    assert run_command("profile", "show", "--agency", world.agency.short_name, "--version", "9").code == 2
    assert "本溪" in run_command("profile", "show", "--packaged", "BX").out
    # An officer may not load a profile: refused, and the refusal is not a version.
    run = run_command("profile", "load", str(loader.DATA_DIR / "BX.yaml"), "--as", world.officer.username)
    assert run.code == 2 and ProfileVersion.objects.count() == 1


# ---- admin --------------------------------------------------------------------------------------------

def test_the_admin_loads_a_pasted_file_and_refuses_a_bad_one_with_its_line(client, world):
    login_verified(client, world.sysadmin)
    url = reverse("admin:profiles_profileversion_add")
    assert client.get(url).status_code == 200
    resp = client.post(url, {"agency": world.agency.pk, "source": BAD, "reason": "试"})
    assert resp.status_code == 200 and "配置文本 第5行：期限（period）：期限“10 weeks”无效" in resp.content.decode()
    assert not ProfileVersion.objects.exists()
    assert Entry.objects.filter(action=V.REFUSED, actor_id=world.sysadmin.pk).count() == 1
    resp = client.post(url, {"agency": world.agency.pk, "source": loader.packaged_text("LC"), "reason": "采用"})
    assert resp.status_code == 302
    pv = ProfileVersion.objects.get()
    assert (pv.number, pv.code, pv.loaded_by) == (1, "LC", world.sysadmin)
    assert Entry.objects.filter(action=V.LOAD, object_id=str(pv.pk)).count() == 1
    upload = SimpleUploadedFile("AS.yaml", loader.packaged_text("AS").encode("utf-8"))
    assert client.post(url, {"agency": world.agency.pk, "upload": upload}).status_code == 302
    assert selectors.active_profile(world.agency).code == "AS"
    # A version is never changed in place: its page is read-only and a POST changes nothing.
    change = reverse("admin:profiles_profileversion_change", args=[pv.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"agency": world.agency.pk, "source": loader.packaged_text("LQ"), "reason": "改"})
    assert ProfileVersion.objects.get(pk=pv.pk).code == "LC"


# ---- the page -----------------------------------------------------------------------------------------

def test_the_page_shows_the_record_item_list_history_and_a_diff(client, world):
    login_verified(client, world.officer)
    resp = client.get(reverse("profiles:index"))
    body = resp.content.decode()
    assert resp.status_code == 200 and "适用内置配置" in body and "程序启动审批表或受理通知书" in body
    load(world, loader.packaged_text("LW"))
    load(world, loader.packaged_text("LW").replace("value: 300", "value: 240"), reason="放宽")
    body = client.get(reverse("profiles:index")).content.decode()
    assert "现行第2版" in body and "今天是×年×月×日，执法人员×××、×××" in body and "LW-D 6" in body
    assert "案卷评查标准" in body and "法制审核" in body and "放宽" in body
    diff = client.get(reverse("profiles:index"), {"a": 1, "b": 2}).content.decode()
    assert "-    value: 300" in diff and "+    value: 240" in diff
    assert client.get(reverse("profiles:index"), {"a": 1, "b": 9}).status_code == 404
    old = client.get(reverse("profiles:index"), {"version": 1}).content.decode()
    assert "正在查看第1版" in old
    assert Entry.objects.filter(action=V.VIEW, actor_id=world.officer.pk).count() == 4


@pytest.mark.pages_only
def test_the_page_is_for_people_of_an_agency(client, db):
    assert client.get(reverse("profiles:index")).status_code == 302  # to the login


# ---- 执法用语 before recording -------------------------------------------------------------------------

def test_the_phrases_are_shown_on_the_case_page_and_the_record_form(client, world):
    load(world, loader.packaged_text("LW"))
    case = to_investigation(world, world.open_case())
    login_verified(client, world.officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "执法用语（开始记录前）" in page and "今天是×年×月×日，执法人员×××、×××" in page
    form = client.get(reverse("records:new", args=[case.pk]), {"type": "inspection_record"}).content.decode()
    assert "执法用语（开始记录前）" in form and "拟定的检查内容有" in form and "LW-D 6" in form
    form = client.get(reverse("records:new", args=[case.pk]), {"type": "rights_notice"}).content.decode()
    assert "执法用语" not in form  # not an act the profile records on audio-video


def test_no_phrases_where_the_profile_has_none(client, world):
    case = to_investigation(world, world.open_case())
    login_verified(client, world.officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "执法用语（开始记录前）" not in page
