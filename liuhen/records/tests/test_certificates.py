"""A valid 执法证 for every write as an officer in records (issue 12 §2)."""
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liuhen.cases.models import CaseOfficer
from liuhen.ledger.models import Entry
from liuhen.records import services
from liuhen.records.models import Attachment, Record, RecordVersion, RecordVoid, Signature, SignerRole
from liuhen.testing.records import INSPECTION, PARTY, investigating, rtype, signed_inspection


@pytest.fixture
def expired_on_case(world):
    """赵刚, whose certificate expired yesterday, still named on a case (assigned while valid)."""
    case = investigating(world)
    CaseOfficer.objects.create(case=case, officer=world.expired, certificate_number="expired",
                               assigned_by=world.officer)
    return case


def refused(fn):
    entries = Entry.objects.count()
    with pytest.raises(ValidationError) as exc:
        fn()
    assert "赵刚的执法证" in exc.value.messages[0] and "过期" in exc.value.messages[0]
    assert Entry.objects.count() == entries


def test_every_officer_write_needs_a_valid_certificate(world, expired_on_case):
    case = expired_on_case
    draft = services.create_record(world.officer, case, rtype("inspection_record"), dict(INSPECTION))
    signed = signed_inspection(world, case)
    before = (Record.objects.count(), RecordVersion.objects.count(), Attachment.objects.count(),
              RecordVoid.objects.count(), Signature.objects.count())
    refused(lambda: services.create_record(world.expired, case, rtype("inspection_record"), dict(INSPECTION)))
    refused(lambda: services.revise_record(world.expired, draft, {**INSPECTION, "place": "别处"}, "更正地点"))
    refused(lambda: services.attach(world.expired, draft, io.BytesIO(b"x"), "a.txt", "text/plain"))
    refused(lambda: services.void_record(world.expired, draft, "重做"))
    refused(lambda: services.record_other_signature(world.expired, draft, role=SignerRole.PARTY, signer_name=PARTY))
    refused(lambda: services.add_supplement(world.expired, signed, [(io.BytesIO(b"x"), "a.jpg", "image/jpeg")]))
    assert before == (Record.objects.count(), RecordVersion.objects.count(), Attachment.objects.count(),
                      RecordVoid.objects.count(), Signature.objects.count())


def test_new_record_form_says_why_instead_of_a_form(client, world, expired_on_case):
    client.force_login(world.expired)
    url = reverse("records:new", args=[expired_on_case.pk]) + "?type=inspection_record"
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 403
    assert "赵刚的执法证" in page and "不能从事执法活动" in page and 'name="findings"' not in page
    response = client.post(reverse("records:new", args=[expired_on_case.pk]), {"type": "inspection_record", **INSPECTION})
    assert response.status_code == 403 and not Record.objects.filter(created_by=world.expired).exists()
    client.force_login(world.officer)
    assert 'name="findings"' in client.get(url).content.decode()
