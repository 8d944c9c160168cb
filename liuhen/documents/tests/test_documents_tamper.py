"""`liuhen verify` holds the documents' rows to what the log recorded: a 文号 deleted (a gap nobody
explained) or rewritten, a void inserted or removed, an issued document's PDF hash or token changed,
a row inserted behind the log's back — each named with its code (documents.E001–E009)."""
import pytest
from django.utils import timezone

from liuhen.documents import vocabulary as v
from liuhen.documents.models import DocumentNumber, IssuedDocument, NumberVoid
from liuhen.ledger.models import Entry
from liuhen.ledger.verify import verify_log
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def issued(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    # built once per run and copied in with its keys and files (liuhen.testing.demo): issued_scene
    from liuhen.testing.demo import restore_scene, scene_snapshot

    snapshot = scene_snapshot("liuhen.testing.documents_verify:issued_scene", tmp_path_factory,
                              django_db_blocker, replay_changes=True)
    return restore_scene(snapshot, fresh_home, settings.LIUHEN_BLOB_DIR)


def test_an_issued_documents_pdf_hash_altered(issued):
    world, doc, *_ = issued
    drop_append_only(IssuedDocument._meta.db_table)
    sql("UPDATE documents_issueddocument SET pdf_sha256 = %s WHERE id = %s", ["0" * 64, doc.pk])
    f = found(verify_log(), "altered", f"issued_document:{doc.pk}", Entry.objects.get(action=v.ISSUE,
                                                                                       object_id=str(doc.pk)))
    assert f.code == v.E007


def test_a_token_altered_and_an_issued_document_deleted(issued):
    world, doc, other, void = issued
    drop_append_only(IssuedDocument._meta.db_table)
    sql("UPDATE documents_issueddocument SET token = %s WHERE id = %s", ["forged-token", doc.pk])
    sql("DELETE FROM documents_issueddocument WHERE id = %s", [other.pk])
    report = verify_log()
    assert found(report, "altered", f"issued_document:{doc.pk}").code == v.E007
    assert found(report, "deleted", f"issued_document:{other.pk}").code == v.E009


def test_a_number_rewritten_and_a_number_deleted(issued):
    world, doc, other, void = issued
    drop_append_only(DocumentNumber._meta.db_table, IssuedDocument._meta.db_table, NumberVoid._meta.db_table)
    sql("UPDATE documents_documentnumber SET text = %s WHERE id = %s", ["测水询问笔录〔2026〕99号", doc.number_id])
    sql("DELETE FROM documents_numbervoid WHERE id = %s", [void.pk])
    sql("DELETE FROM documents_issueddocument WHERE id = %s", [other.pk])
    sql("DELETE FROM documents_documentnumber WHERE id = %s", [other.number_id])
    report = verify_log()
    assert found(report, "altered", f"document_number:{doc.number_id}").code == v.E001
    assert found(report, "deleted", f"document_number:{other.number_id}").code == v.E003
    assert found(report, "deleted", f"document_number_void:{void.pk}").code == v.E006


def test_a_void_altered_and_rows_inserted(issued):
    world, doc, other, void = issued
    drop_append_only(NumberVoid._meta.db_table)
    sql("UPDATE documents_numbervoid SET reason = %s WHERE id = %s", ["（改）", void.pk])
    now = timezone.now()
    sql("INSERT INTO documents_documentnumber (agency_id, kind, year, n, text, record_id, issued_by_id, issued_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        [world.agency.pk, "decision", 2026, 7, "测水罚〔2026〕第7号", None, world.agency_head.pk, now])
    forged = DocumentNumber.objects.get(text="测水罚〔2026〕第7号")
    sql("INSERT INTO documents_numbervoid (number_id, reason, voided_by_id, voided_at) VALUES (%s, %s, %s, %s)",
        [doc.number_id, "伪造的作废", world.agency_head.pk, now])
    forged_void = NumberVoid.objects.get(number_id=doc.number_id)
    sql("INSERT INTO documents_issueddocument (record_id, record_version, number_id, kind, pdf_sha256,"
        " archive_sha256, token, issued_by_id, issued_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [doc.record_id, 2, forged.pk, "decision", "1" * 64, "2" * 64, "forgedtoken", world.officer.pk, now])
    forged_doc = IssuedDocument.objects.get(token="forgedtoken")
    report = verify_log()
    assert found(report, "altered", f"document_number_void:{void.pk}").code == v.E004
    assert found(report, "inserted", f"document_number:{forged.pk}").code == v.E002
    assert found(report, "inserted", f"document_number_void:{forged_void.pk}").code == v.E005
    assert found(report, "inserted", f"issued_document:{forged_doc.pk}").code == v.E008
