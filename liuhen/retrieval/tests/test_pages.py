"""档案利用 pages (issue 19 item 5): 我的调阅申请 with each slip's state, a new slip picked by case number,
the approver's 待审批 and 我的待办 section, the slip's page with the file's SHA-256, the archivist's entry of a
party's request, the copy and the class page. Each refusal answered 4xx in Chinese and recorded; a slip
not one's own is a 404."""
import pytest
from django.urls import reverse

from liuhen.ledger.models import Entry
from liuhen.ledger.refusals import DENIED
from liuhen.oversight.todo import todo_for
from liuhen.retrieval import selectors as s
from liuhen.retrieval import vocabulary as v
from liuhen.retrieval.models import Classification, CopyItem, RetrievalRequest, SecretNote
from liuhen.testing.cases import to_archived
from liuhen.testing.retrieval import PERSON_ID, approve, archivist, later, staff_slip

pytestmark = pytest.mark.django_db


def _refused() -> int:
    return Entry.objects.filter(action=v.REFUSED).count()


def _new_url(case, kind="staff"):
    return reverse("retrieval:new") + f"?number={case.number}&kind={kind}"


def test_a_staff_member_asks_from_the_page_and_sees_the_state(client, world):
    case = to_archived(world)
    client.force_login(world.officer)
    page = client.get(reverse("retrieval:index")).content.decode()
    assert "我的调阅申请" in page and "您还没有调用单" in page and 'id="retrieval-archivist"' not in page
    form = client.get(_new_url(case)).content.decode()
    assert case.number in form and "机关负责人" in form and 'name="records"' in form
    response = client.post(_new_url(case), {"purpose": "案卷评查", "mode": "view", "days": "5"})
    req = RetrievalRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("retrieval:detail", args=[req.pk])
    page = client.get(response["Location"]).content.decode()
    assert req.file_sha256 in page and "与当前案卷一致" in page and "待审批" in page and "整卷" in page
    listing = client.get(reverse("retrieval:index")).content.decode()
    assert req.number in listing and "待审批" in listing


def test_refused_inputs_are_4xx_in_chinese_and_recorded(client, world):
    case = to_archived(world)
    client.force_login(world.officer)
    n = _refused()
    assert client.post(_new_url(case), {"purpose": "评查", "mode": "view", "days": "31"}).status_code == 400
    response = client.post(_new_url(case), {"purpose": "", "mode": "view", "days": "3"})
    assert response.status_code == 400 and "调阅用途" in response.content.decode()
    open_case = world.open_case()
    response = client.get(_new_url(open_case))
    assert response.status_code == 400 and "没有该编号的已归档案件" in response.content.decode()
    response = client.get(_new_url(case, "party"))  # only the archivist enters a party's request
    assert response.status_code == 400 and "档案管理员登记" in response.content.decode()
    assert _refused() == n + 4 and not RetrievalRequest.objects.exists()


def test_the_approver_decides_from_the_page_and_the_todo_lists_it(client, world, monkeypatch):
    case = to_archived(world)
    req = staff_slip(world, case)
    todo = todo_for(world.agency_head).section("retrieval")
    assert todo.title == "待审批的调阅申请" and [i.url for i in todo.items] == [reverse("retrieval:detail", args=[req.pk])]
    assert todo_for(world.officer2).section("retrieval") is None
    client.force_login(world.agency_head)
    assert req.number in client.get(reverse("retrieval:approvals")).content.decode()
    assert 'id="retrieval-decide"' in client.get(reverse("retrieval:detail", args=[req.pk])).content.decode()
    url = reverse("retrieval:decide", args=[req.pk])
    assert client.post(url, {"approved": "1"}).status_code == 302
    assert s.state(req) == s.APPROVED and todo_for(world.agency_head).section("retrieval") is None
    response = client.post(url, {"approved": "0", "reason": "再审"})
    assert response.status_code == 409 and "已审批" in response.content.decode()
    client.force_login(world.officer)
    page = client.get(reverse("retrieval:detail", args=[req.pk])).content.decode()
    assert "已批准（至" in page and "查阅件（带水印）" in page
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200  # the grant opens the case
    first = s.file_items(case)[0].record
    pdf = client.get(reverse("retrieval:record_pdf", args=[req.pk, first.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # Through the grant the documents' own PDFs and print views are closed: the 查阅件 carries the watermark.
    for name, arg in (("documents:draft_pdf", first.pk), ("documents:record_print", first.pk),
                      ("documents:case_print", case.pk), ("archive:volume", case.pk)):
        response = client.get(reverse(name, args=[arg]))
        assert response.status_code == 403 and "带水印的查阅件" in response.content.decode()
    client.force_login(world.agency_head)  # who reads it by duty still prints it
    assert client.get(reverse("documents:record_print", args=[first.pk])).status_code == 200
    later(monkeypatch, days=8)
    client.force_login(world.officer)  # the session has ended too
    response = client.get(reverse("retrieval:record_pdf", args=[req.pk, first.pk]))
    assert response.status_code == 409 and "过期" in response.content.decode()
    assert "已过期" in client.get(reverse("retrieval:index")).content.decode()


def test_an_unqualified_approver_is_refused_and_recorded(client, world):
    case = to_archived(world)
    req = staff_slip(world, case)
    client.force_login(archivist(world))  # sees every slip, approves none
    n = _refused()
    response = client.post(reverse("retrieval:decide", args=[req.pk]), {"approved": "1"})
    assert response.status_code == 403 and "承办机构负责人、机关负责人审批" in response.content.decode()
    assert _refused() == n + 1 and s.state(req) == s.PENDING


def test_someone_elses_slip_is_a_404_and_recorded(client, world):
    case = to_archived(world)
    req = staff_slip(world, case)
    client.force_login(world.officer2)
    assert client.get(reverse("retrieval:detail", args=[req.pk])).status_code == 404
    assert Entry.objects.filter(action=DENIED, object_type=RetrievalRequest.ledger_object_type).count() == 1
    assert client.get(reverse("retrieval:detail", args=[req.pk + 100])).status_code == 404


def test_the_archivist_enters_a_partys_request_and_makes_the_copy(client, world):
    case = to_archived(world)
    keeper = archivist(world)
    client.force_login(keeper)
    page = client.get(reverse("retrieval:index")).content.decode()
    assert 'id="retrieval-archivist"' in page
    first = s.file_items(case)[0].record
    response = client.post(_new_url(case, "party"), {
        "purpose": "申请行政复议", "mode": "copy", "days": "3", "records": [str(first.pk)], "person": "王建国",
        "id_number": PERSON_ID})
    assert response.status_code == 302
    req = RetrievalRequest.objects.get()
    assert req.kind == "party" and req.entered_by == keeper and req.record_ids == [first.pk]
    approve(world, req)
    assert req.number in client.get(reverse("retrieval:index")).content.decode()  # 待制作复制件
    assert client.post(reverse("retrieval:copy", args=[req.pk])).status_code == 302
    sheet, item = CopyItem.objects.order_by("id")  # the cover sheet first
    assert sheet.is_cover and item.record_id == first.pk
    page = client.get(reverse("retrieval:detail", args=[req.pk])).content.decode()
    assert item.source_sha256 in page and item.blob_id in page and sheet.blob_id in page
    download = client.get(reverse("retrieval:download", args=[item.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert Entry.objects.filter(action=v.DOWNLOAD).count() == 1


def test_the_archivist_classifies_and_records_secret_material(client, world):
    case = to_archived(world)
    keeper = archivist(world)
    record = s.file_items(case)[0].record
    client.force_login(world.officer)
    assert client.get(reverse("retrieval:classes", args=[case.pk])).status_code == 403
    client.force_login(keeper)
    response = client.get(reverse("retrieval:find_classes") + f"?number={case.number}")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert record.record_type.name in page and "内部" in page
    url = reverse("retrieval:classify", args=[case.pk, record.pk])
    assert client.post(url, {f"r{record.pk}-record": record.pk, f"r{record.pk}-code": "privacy"}).status_code == 302
    assert Classification.objects.get().code == "privacy"
    n = _refused()
    response = client.post(url, {f"r{record.pk}-record": record.pk, f"r{record.pk}-code": "国家秘密"})
    assert response.status_code == 400 and "涉密材料存放说明" in response.content.decode() and _refused() == n + 1
    response = client.post(reverse("retrieval:secret", args=[case.pk]), {"title": "涉密纪要", "kept_at": "机要室"})
    assert response.status_code == 302 and SecretNote.objects.get().kept_at == "机要室"
    assert "涉密纪要 · 存放于 机要室" in client.get(reverse("retrieval:classes", args=[case.pk])).content.decode()
