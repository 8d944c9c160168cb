"""组卷 once (issue 19 item 1): the 案卷 and the documents never issued are rendered when the file is first
needed and stored with their events; every later download and export hands on the same bytes — until
what the file holds changes (a supplement after archiving: the 备考表 lists it)."""
import hashlib
import json

import pytest
from django.urls import reverse

from liuhen.archive import vocabulary as v
from liuhen.archive.assembly import assembled
from liuhen.archive.models import AssembledDocument, AssembledFile
from liuhen.archive.package import export
from liuhen.ledger.models import Entry
from liuhen.media import purge
from liuhen.testing.archive import archived, supplemented
from liuhen.testing.cases import archivist

pytestmark = pytest.mark.django_db


def test_a_file_is_assembled_once_and_handed_on_byte_for_byte(world, client, tmp_path):
    case = archived(world)
    client.force_login(world.agency_head)
    first = client.get(reverse("archive:volume", args=[case.pk])).content
    again = client.get(reverse("archive:volume", args=[case.pk])).content
    [row] = AssembledFile.objects.filter(case=case)
    assert first == again and row.volume_id == hashlib.sha256(first).hexdigest()
    event = Entry.objects.get(action=v.ASSEMBLE, object_id=str(row.pk))
    docs = list(AssembledDocument.objects.filter(assembly=row))
    assert docs and set(json.loads(bytes(event.leaf))["blobs"]) == {row.volume_id, *(d.blob_id for d in docs)}
    assert Entry.objects.filter(action=v.ASSEMBLE_DOCUMENT).count() == len(docs)
    # The package copies what was assembled: the same volume, the same documents, no new assembly.
    export(archivist(world), case.number, tmp_path / "bag")
    assert (tmp_path / "bag" / "data" / "volume.pdf").read_bytes() == first
    catalog = json.loads((tmp_path / "bag" / "data" / "catalog.json").read_text(encoding="utf-8"))
    shas = {i["sha256"] for i in catalog["items"] if i["kind"] == "document" and not i["issued"]}
    assert shas == {d.blob_id for d in docs} and AssembledFile.objects.filter(case=case).count() == 1
    # What an assembly stores is never purged.
    assert purge.needed_elsewhere({row.volume_id, docs[0].blob_id}) == {row.volume_id, docs[0].blob_id}


def test_a_supplement_makes_a_new_assembly_and_the_old_one_stays(world):
    case = archived(world)
    before = assembled(world.agency_head, case)
    supplemented(world, case)
    after = assembled(world.agency_head, case)
    assert after.pk != before.pk and after.volume_id != before.volume_id and after.key != before.key
    assert assembled(world.agency_head, case).pk == after.pk  # and no third
    assert list(AssembledFile.objects.filter(case=case).order_by("id")) == [before, after]
