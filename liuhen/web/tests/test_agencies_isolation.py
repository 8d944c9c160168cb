"""Several agencies on one instance (issue 21 §4): each agency with its profile, units, people and keys;
nobody sees another agency's cases unless a supervision role at a higher level grants it.

Two agencies side by side — the `world` one (A, 测水) and another (B, 县水), each with units, people of
every role, cases with records, an issued and published decision, devices and a docking station:

- no page of any role of A lists anything of B (its name, 文号简称, case and document numbers, devices,
  people), nor the other way round;
- B's case, record, document, device, publicity and legal review pages answer 403/404 to every role of
  A, each refusal in the ledger; posts on B's case are refused the same way and write nothing;
- an API client of A reads none of B's cases, decisions or publicity;
- A's three administrators keep only A's people (the platform's, of no agency, keep everyone);
- each agency runs on its own profile and issues under its own seal;
- the 监督人员 of an agency P that supervises B (上级监督) sees B's cases read-only — never A's — and
  may not act on them; an agency head of P sees nothing of B; the end of the supervision ends it.
"""
from types import SimpleNamespace

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from liuhen.accounts import services as acc
from liuhen.accounts.models import User
from liuhen.accounts.roles import Role
from liuhen.cases import access
from liuhen.ledger.models import Entry
from liuhen.testing.otp import login_verified
from liuhen.testing.snapshots import scene_fixture

B_MARKS = ("县水", "测试县水务局", "XS-CAM-01", "XS-CJZ-01", "x_officer", "x_agency_head", "x_sysadmin")
A_MARKS = ("测水", "测试市水务局", "CS-CAM-01", "CS-CJZ-01", "zhang", "刘局长")
LISTS = ("/cases/", "/cases/?scope=all", "/oversight/", "/oversight/todo/", "/oversight/cases/", "/oversight/stats/",
         "/oversight/notices/", "/devices/", "/devices/mine/", "/publicity/", "/legalreview/", "/legalreview/stats/",
         "/legalreview/qualifications/", "/retrieval/", "/retrieval/approvals/", "/copies/",
         "/property/", "/av/trips/", "/av/supervision/", "/inspections/",
         "/inspections/ledger/", "/retention/", "/retention/notices/", "/workdays/", "/archive/", "/archive/imported/", "/footage/", "/footage/list/", "/documents/numbers/",
         "/evaluation/", "/evaluation/unit/", "/profiles/", "/audit/", "/admin/", "/admin/accounts/user/",
         "/admin/accounts/user/add/", "/admin/accounts/unit/", "/admin/accounts/agency/",
         "/admin/accounts/certificate/", "/admin/accounts/certificate/add/", "/admin/profiles/profileversion/",
         "/admin/profiles/profileversion/add/")


# built once per run and copied in with its keys (liuhen.testing.snapshots)
scene = scene_fixture("scene", "liuhen.testing.agencies_scene:two_agencies")


def client_of(user) -> Client:
    c = Client()
    login_verified(c, user)  # an administrator with their second factor passed
    return c


def refusals_of(user) -> int:
    return Entry.objects.filter(Q(action__endswith=".denied") | Q(action__endswith=".refused"), actor_id=user.pk).count()


def leaks(html: str, marks) -> list[str]:
    return [m for m in marks if m in html]


# ---- lists ------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_no_page_of_any_role_lists_anything_of_the_other_agency(scene):
    b_people = scene.b.people()
    for side, people, marks in (("A", scene.a, B_MARKS), ("B", b_people, A_MARKS)):
        for key, user in people.items():
            c = client_of(user)
            for url in LISTS:
                response = c.get(url)
                assert response.status_code in (200, 302, 403), (side, key, url, response.status_code)
                found = leaks(response.content.decode(errors="replace"), marks)
                assert not found, (side, key, url, found)
    # The lists are not empty of one's own: the markers would be found where they belong.
    html = client_of(scene.a["agency_head"]).get("/cases/?scope=all").content.decode()
    assert scene.a_objs.case.number in html and scene.b_objs.case.number not in html


# ---- another agency's objects: 403/404, recorded ----------------------------------------------------

def b_pages(o) -> list[str]:
    return [reverse("cases:detail", args=[o.case.pk]), reverse("cases:detail", args=[o.open_case.pk]),
            reverse("records:detail", args=[o.record.pk]), reverse("documents:record_print", args=[o.record.pk]),
            reverse("documents:case_print", args=[o.case.pk]), reverse("documents:issued_pdf", args=[o.doc.pk]),
            reverse("devices:detail", args=[o.device.pk]), reverse("publicity:version", args=[o.version.pk]),
            reverse("publicity:entry", args=[o.entry.number]), reverse("retrieval:classes", args=[o.case.pk]),
            reverse("archive:volume", args=[o.case.pk]), reverse("copies:new", args=[o.case.pk]),
            reverse("retention:case", args=[o.case.pk]), f"/admin/accounts/user/{o.record.created_by_id}/change/",
            reverse("accounts:person_sessions", args=[o.record.created_by_id])]


@pytest.mark.django_db
def test_the_other_agencys_objects_answer_403_or_404_to_every_role_each_refusal_recorded(scene):
    pages = b_pages(scene.b_objs)
    for key, user in scene.a.items():
        c = client_of(user)
        for url in pages:
            before = refusals_of(user)
            response = c.get(url)
            assert response.status_code in (302, 403, 404), (key, url, response.status_code)
            if response.status_code == 302:
                # The configuration admin: who may not open it is sent to its login page (Django's); an
                # administrator of A is told that B's person "does not exist" — and that is traced.
                assert url.startswith("/admin/"), (key, url)
                if response["Location"].startswith("/admin/login/"):
                    continue
                assert not response["Location"].endswith("/change/"), (key, url)
            assert refusals_of(user) > before, (key, url)
            assert not leaks(response.content.decode(errors="replace"), B_MARKS), (key, url)


@pytest.mark.django_db
def test_posts_on_the_other_agencys_case_are_refused_recorded_and_write_nothing(scene):
    o = scene.b_objs
    officer, head = scene.a["officer"], scene.a["agency_head"]
    writes = {
        reverse("cases:add_party", args=[o.open_case.pk]): {"kind": "person", "name": "入侵者"},
        reverse("cases:advance", args=[o.open_case.pk]): {"note": "推进"},
        reverse("records:new", args=[o.open_case.pk]): {"record_type": "inquiry_record"},
        reverse("records:sign", args=[o.record.pk]): {"capacity": "leader", "decision": "同意"},
        reverse("documents:revoke", args=[o.doc.pk]): {"reason": "撤销"},
        reverse("publicity:withdraw", args=[o.entry.number]): {"reason": "撤回"},
        reverse("devices:signout", args=[o.device.pk]): {"officer": officer.pk},
    }
    count = Entry.objects.count()
    for user in (officer, head):
        c = client_of(user)
        for url, data in writes.items():
            before = refusals_of(user)
            response = c.post(url, data)
            assert response.status_code in (403, 404), (user.username, url, response.status_code)
            assert refusals_of(user) == before + 1, (user.username, url)
    # Nothing but the refusals (and the two logins) entered the log.
    assert Entry.objects.count() - count == 2 * len(writes) + 2
    assert not o.open_case.parties.filter(name="入侵者").exists()


def test_the_service_gates_refuse_another_agencys_people(scene):
    from django.core.exceptions import PermissionDenied

    from liuhen.records import services as records

    for user in (scene.a["agency_head"], scene.a["unit_head"], scene.a["reviewer"]):
        with pytest.raises(PermissionDenied):
            access.check_view_to_act(user, scene.b_objs.case)
        with pytest.raises(PermissionDenied):
            records.sign_as_leader(user, scene.b_objs.record)


# ---- the API ----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_api_client_of_one_agency_reads_none_of_the_others(scene, client):
    from liuhen.exchange import services as exchange
    from liuhen.exchange import vocabulary as xv

    _, token = exchange.add_client(None, agency=scene.world.agency, name="省平台", scopes=sorted(xv.SCOPES), days=5)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    cases = client.get("/api/v1/cases?page_size=100", **auth).json()
    numbers = {row["number"] for row in cases["items"]}
    assert scene.a_objs.case.number in numbers and scene.b_objs.case.number not in numbers
    for path in ("/api/v1/cases?format=ndjson", "/api/v1/decisions?format=ndjson", "/api/v1/publicity?format=ndjson"):
        response = client.get(path, **auth)
        body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        assert response.status_code == 200 and not leaks(body, B_MARKS), path
        assert scene.a_objs.case.number in body or "publicity" in path, path


# ---- administrators ---------------------------------------------------------------------------------

@pytest.fixture
def platform(db):
    """The platform's three administrators: of no agency."""
    return {role: acc.create_user(None, username=f"pt_{role}", full_name=f"平台{role}", password="Liuhen-test-2026",
                                  agency=None, roles=[role])
            for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)}


@pytest.mark.django_db
def test_an_agencys_administrators_manage_only_their_agencys_people(scene, platform):
    from django.core.exceptions import PermissionDenied

    sysadmin, secadmin = scene.a["sysadmin"], scene.a["secadmin"]
    b_officer = scene.b.officer
    refused = [
        lambda: acc.create_user(sysadmin, username="intruder", full_name="外人", password="Liuhen-test-2026",
                                agency=scene.b.agency),
        lambda: acc.reset_password(sysadmin, b_officer, "Another-pass-2026"),
        lambda: acc.issue_certificate(sysadmin, b_officer, number="X999", valid_from=b_officer.date_joined.date(),
                                      valid_until=b_officer.date_joined.date()),
        lambda: acc.grant_role(secadmin, b_officer, Role.AGENCY_HEAD),
        lambda: acc.revoke_role(secadmin, b_officer, Role.OFFICER),
    ]
    for act in refused:
        before = Entry.objects.filter(action="accounts.denied").count()
        with pytest.raises(PermissionDenied):
            act()
        assert Entry.objects.filter(action="accounts.denied").count() == before + 1
    assert not User.objects.filter(username="intruder").exists() and b_officer.role_codes() == {"officer"}
    # The platform's keep every agency's people.
    made = acc.create_user(platform[Role.SYSTEM_ADMIN], username="xin", full_name="新人", password="Liuhen-test-2026",
                           agency=scene.b.agency, unit=scene.b.unit)
    assert made.agency_id == scene.b.agency.pk


@pytest.mark.django_db
def test_the_configuration_admin_shows_and_offers_only_ones_own_agency(scene, platform):
    c = client_of(scene.a["sysadmin"])
    html = c.get("/admin/accounts/user/").content.decode()
    assert "zhang" in html and "x_officer" not in html
    form = c.get("/admin/accounts/user/add/").content.decode()
    assert "测试市水务局" in form and "测试县水务局" not in form and "执法大队" not in form
    # A post naming B's agency (or no agency) is refused: the choice is not offered.
    for agency in (scene.b.agency.pk, ""):
        response = c.post("/admin/accounts/user/add/", {"username": "intruder", "full_name": "外人",
                                                        "agency": agency, "unit": "", "password1": "Liuhen-test-2026",
                                                        "password2": "Liuhen-test-2026"})
        assert response.status_code == 200 and "intruder" not in User.objects.values_list("username", flat=True)
    # The platform's system administrator sees both agencies' people.
    html = client_of(platform[Role.SYSTEM_ADMIN]).get("/admin/accounts/user/?q=officer").content.decode()
    assert "x_officer" in html
    assert "x_officer" in client_of(platform[Role.SYSTEM_ADMIN]).get("/admin/accounts/user/").content.decode()


@pytest.mark.django_db
def test_an_agencys_audit_administrator_reads_only_its_own_peoples_entries(scene, platform):
    b_entry = Entry.objects.filter(actor_id=scene.b.officer.pk).order_by("pk").first()
    a_entry = Entry.objects.filter(actor_id=scene.world.officer.pk).order_by("pk").first()
    auditor = scene.a["auditadmin"]
    c = client_of(auditor)
    assert c.get(f"/audit/entry/{a_entry.pk}/").status_code == 200
    before = refusals_of(auditor)
    assert c.get(f"/audit/entry/{b_entry.pk}/").status_code == 404
    assert refusals_of(auditor) == before + 1
    assert c.get("/audit/?actor=x_officer").context["rows"] == []
    assert "x_officer" not in c.get("/audit/").content.decode()
    platform_view = client_of(platform[Role.AUDIT_ADMIN])
    assert platform_view.get(f"/audit/entry/{b_entry.pk}/").status_code == 200


# ---- profiles and keys ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_each_agency_runs_on_its_own_profile(scene):
    from django.core.exceptions import PermissionDenied

    from liuhen.profiles import services as profiles
    from liuhen.profiles.selectors import profile_for_case
    from liuhen.testing.profiles import EXTRA_REQUIREMENT, load

    before = profile_for_case(scene.b_objs.open_case).code
    load(scene.world, EXTRA_REQUIREMENT)
    a_case, b_case = scene.world.open_case(), scene.b.open_case()
    assert profile_for_case(a_case).code == "EXTRA"
    assert profile_for_case(b_case).code == before != "EXTRA"
    assert profile_for_case(scene.b_objs.open_case).code == before
    with pytest.raises(PermissionDenied):
        profiles.load_profile(scene.b.agency_head, scene.world.agency, EXTRA_REQUIREMENT, reason="越权", label="x.yaml")


@pytest.mark.django_db
def test_each_agency_issues_under_its_own_seal(scene):
    from liuhen.documents import seal
    from liuhen.media import store

    a_info, b_info = seal.certificate_info(scene.world.agency), seal.certificate_info(scene.b.agency)
    assert a_info["sha256"] != b_info["sha256"]
    assert "测试市水务局" in a_info["subject"] and "测试县水务局" in b_info["subject"]
    pdf = store.open_blob(scene.b_objs.doc.pdf_sha256).read()
    assert "测试县水务局" in seal.validate(pdf, scene.b.agency)["signer"]
    assert not seal.validate(pdf, scene.world.agency)["trusted"] or a_info["issuer"] == b_info["issuer"]


# ---- 上级监督 ------------------------------------------------------------------------------------------

@pytest.fixture
def supervised(scene, platform):
    """P (市司法局) supervises B: P's 监督人员 and agency head; the supervision declared by the platform."""
    p = acc.create_agency(None, name="测试市司法局", short_name="市司")
    sup = acc.create_user(None, username="p_sup", full_name="司法局监督员", password="Liuhen-test-2026", agency=p,
                          roles=[Role.SUPERVISOR])
    head = acc.create_user(None, username="p_head", full_name="司法局长", password="Liuhen-test-2026", agency=p,
                           roles=[Role.AGENCY_HEAD])
    row = acc.grant_supervision(platform[Role.SYSTEM_ADMIN], p, scene.b.agency, basis="市政府确定的行政执法监督关系")
    return SimpleNamespace(agency=p, sup=sup, head=head, row=row, platform=platform[Role.SYSTEM_ADMIN])


@pytest.mark.django_db
def test_the_supervisor_of_a_supervising_agency_views_its_cases_read_only(scene, supervised):
    o, sup = scene.b_objs, supervised.sup
    assert access.level(sup, o.case) == access.VIEW and access.level(sup, scene.a_objs.case) is None
    assert set(access.visible_cases(sup)) == {o.case, o.open_case}
    c = client_of(sup)
    listed = c.get("/cases/?scope=all").content.decode()
    assert o.case.number in listed and scene.a_objs.case.number not in listed
    for url in (reverse("cases:detail", args=[o.case.pk]), reverse("records:detail", args=[o.record.pk]),
                reverse("documents:issued_pdf", args=[o.doc.pk])):
        before = Entry.objects.filter(actor_id=sup.pk).count()
        assert c.get(url).status_code == 200, url
        assert Entry.objects.filter(actor_id=sup.pk).count() > before, url  # each view is a read event
    page = c.get(reverse("cases:detail", args=[o.open_case.pk]))
    assert page.context["can_work"] is False
    for url in ("/oversight/todo/", "/oversight/notices/", "/oversight/"):
        assert c.get(url).status_code == 200, url
    # Never A's; never work.
    before = refusals_of(sup)
    assert c.get(reverse("cases:detail", args=[scene.a_objs.case.pk])).status_code == 404
    for url, data in ((reverse("cases:add_party", args=[o.open_case.pk]), {"kind": "person", "name": "入侵者"}),
                      (reverse("records:new", args=[o.open_case.pk]), {"record_type": "inquiry_record"}),
                      (reverse("cases:advance", args=[o.open_case.pk]), {"note": "推进"})):
        assert c.post(url, data).status_code in (403, 404), url
    assert refusals_of(sup) == before + 4
    assert not o.open_case.parties.filter(name="入侵者").exists()


@pytest.mark.django_db
def test_the_supervisors_dashboard_counts_the_supervised_agency_on_request(scene, supervised):
    c = client_of(supervised.sup)
    own = c.get("/oversight/cases/")
    assert own.status_code == 200 and scene.b_objs.case.number not in own.content.decode()
    theirs = c.get(f"/oversight/cases/?agency={scene.b.agency.pk}")
    assert theirs.status_code == 200 and scene.b_objs.case.number in theirs.content.decode()
    assert c.get(f"/oversight/?agency={scene.b.agency.pk}").status_code == 200
    assert c.get(f"/oversight/stats/?agency={scene.b.agency.pk}").status_code == 200
    # Not an agency it does not supervise: the filter is refused (400, recorded).
    before = refusals_of(supervised.sup)
    refused = c.get(f"/oversight/cases/?agency={scene.world.agency.pk}")
    assert refused.status_code == 400 and scene.a_objs.case.number not in refused.content.decode()
    assert refusals_of(supervised.sup) == before + 1


@pytest.mark.django_db
def test_nobody_else_of_the_supervising_agency_crosses_and_the_end_closes_it(scene, supervised):
    o = scene.b_objs
    assert access.level(supervised.head, o.case) is None and not access.visible_cases(supervised.head).exists()
    # Acting on a case seen by supervision is refused at the service too.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        access.check_view_to_act(supervised.sup, o.case)
    # A 监督人员 who is also the supervising agency's head (or archivist) still only reads: no signature,
    # no approval on the supervised agency's case.
    from liuhen.caseproperty.selectors import may_decide as may_decide_property
    from liuhen.records import services as records
    from liuhen.testing.cases import make_record

    both = acc.create_user(None, username="p_both", full_name="司法局长兼监督", password="Liuhen-test-2026",
                           agency=supervised.agency, roles=[Role.SUPERVISOR, Role.AGENCY_HEAD, Role.ARCHIVIST])
    assert access.level(both, o.open_case) == access.VIEW
    fresh = make_record(scene.b, o.open_case, "inquiry_record")
    for capacity in ("leader", "archivist"):
        with pytest.raises(PermissionDenied, match="上级监督"):
            records.sign_in_capacity(both, fresh, capacity)
    assert not fresh.signatures.filter(signer=both).exists()
    assert not may_decide_property(both, o.open_case)
    acc.end_supervision(supervised.platform, supervised.row, reason="机构调整")
    assert access.level(supervised.sup, o.case) is None and not access.visible_cases(supervised.sup).exists()
    assert client_of(supervised.sup).get(reverse("cases:detail", args=[o.case.pk])).status_code == 404
