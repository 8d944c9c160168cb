"""The demo's parties sign on the officer's tablet: each signed party signature carries a drawn
mark (签名笔迹, demo/marks.py), whose bytes are in the store, and the 送达回证 prints it."""
import pytest

from liuhen.media import store
from liuhen.records.models import Outcome, Signature, SignerRole


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_parties_signatures_carry_a_drawn_mark(demo):
    signed = Signature.objects.filter(role=SignerRole.PARTY, outcome=Outcome.SIGNED)
    assert signed.count() >= 10
    assert not signed.filter(mark=None).exists()
    assert set(signed.values_list("mark_kind", flat=True)) == {"canvas"}
    assert not Signature.objects.filter(outcome=Outcome.REFUSED).exclude(mark=None).exists()
    assert all(store.verify(sha) for sha in set(signed.values_list("mark_id", flat=True)))


def test_a_demo_service_receipt_prints_the_mark(demo):
    from liuhen.documents.render import render_pdf
    from liuhen.testing import documents as D

    sig = Signature.objects.filter(role=SignerRole.PARTY, outcome=Outcome.SIGNED,
                                   record__record_type__code="service_receipt").select_related("record").first()
    pdf = render_pdf(sig.record, number="本水送〔2026〕第1号")
    assert len(D.pdf_images(pdf).splitlines()[2:]) == 1
    assert sig.signer_name in D.pdf_text(pdf)
