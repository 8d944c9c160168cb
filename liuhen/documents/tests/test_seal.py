"""The agency's e-seal (seal.py): a PAdES signature that pyHanko validates against our root and
poppler's pdfsig calls valid; one byte changed after sealing and both say so; the local CA under
LIUHEN_HOME (keys 0600, the agency's name in the subject); a PKCS#12 imported, a bad one refused
with nothing changed."""
import json
import stat

import pytest
from django.core.exceptions import ValidationError

from liuhen.documents import seal, services, vocabulary as v
from liuhen.ledger.models import Entry
from liuhen.testing.commands import run_command
from liuhen.testing.documents_seal import make_p12, pdfsig

pytestmark = pytest.mark.usefixtures("fresh_home")


def _pdf(text="本溪市水务局 行政处罚决定书") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<html><body><h1>{text}</h1></body></html>").write_pdf()


def test_a_sealed_pdf_validates_with_pyhanko_and_pdfsig(world, tmp_path):
    sealed = seal.seal_pdf(_pdf(), world.agency)
    status = seal.validate(sealed, world.agency)
    assert status == {"intact": True, "valid": True, "trusted": True, "covers_whole_file": True,
                      "signer": status["signer"]}
    assert world.agency.name in status["signer"]
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed)
    report = pdfsig(path)
    assert "Signature is Valid" in report and "Total document signed" in report
    assert f"O={world.agency.name}" in report


def test_a_byte_changed_after_sealing_is_caught(world, tmp_path):
    rendered = _pdf()
    sealed = bytearray(seal.seal_pdf(rendered, world.agency))
    sealed[len(rendered) // 2] ^= 0x01  # inside the signed range: the rendered page
    path = tmp_path / "tampered.pdf"
    path.write_bytes(bytes(sealed))
    report = pdfsig(path)
    assert "Signature is Valid" not in report and "Digest Mismatch" in report
    assert seal.validate(bytes(sealed), world.agency)["intact"] is False


def test_a_pdf_without_a_seal_is_said_so(world):
    with pytest.raises(ValidationError) as exc:
        seal.validate(_pdf(), world.agency)
    assert exc.value.code == "no_seal"
    with pytest.raises(ValidationError):
        seal.validate(b"not a pdf", world.agency)


def test_the_local_ca_is_made_once_under_liuhen_home_with_private_keys(world, settings):
    seal.ensure_certificate(world.agency)
    d = seal.seal_dir()
    assert d.parent == settings.LIUHEN_HOME
    for name in ("root-ca.key", f"agency-{world.agency.pk}.key"):
        assert stat.S_IMODE((d / name).stat().st_mode) == 0o600
    first = (d / "root-ca.pem").read_bytes()
    info = seal.certificate_info(world.agency)
    assert world.agency.name in info["subject"] and "留痕本地电子印章根证书" in info["issuer"]
    seal.ensure_certificate(world.agency)
    assert (d / "root-ca.pem").read_bytes() == first


def test_a_local_certificate_of_another_name_at_the_same_row_is_reissued_and_kept_aside(world, tmp_path,
                                                                                        monkeypatch):
    # A row number can come back (a database rebuilt beside a kept LIUHEN_HOME): the seal must still
    # name the agency that seals. The replaced files are moved aside, never deleted.
    from liuhen.accounts.models import Agency

    before = seal.certificate_info(world.agency)
    Agency.objects.filter(pk=world.agency.pk).update(name="另一个水务局")
    other = Agency.objects.get(pk=world.agency.pk)
    after = seal.certificate_info(other)
    assert "另一个水务局" in after["subject"] and after["sha256"] != before["sha256"]
    assert after["issuer"] == before["issuer"]  # the same local root: what it sealed still validates
    retired = [p.name for p in seal.seal_dir().iterdir() if ".retired-" in p.name]
    assert {n.split(".retired-")[0] for n in retired} >= {f"agency-{other.pk}.key", f"agency-{other.pk}.pem"}
    # An imported certificate is the agency's own: a different name does not replace it.
    p12 = make_p12(tmp_path, "seal.p12", b"s3cret", agency_name="另一个水务局")
    monkeypatch.setenv("LIUHEN_SEAL_PASSWORD", "s3cret")
    assert run_command("seal", "import", str(p12), "--agency", other.short_name).code == 0
    imported = seal.certificate_info(other)["sha256"]
    Agency.objects.filter(pk=other.pk).update(name="第三个名字")
    assert seal.certificate_info(Agency.objects.get(pk=other.pk))["sha256"] == imported


def test_a_pkcs12_is_imported_and_seals_from_then_on(world, tmp_path, monkeypatch):
    p12 = make_p12(tmp_path, "seal.p12", b"s3cret", agency_name=world.agency.name)
    monkeypatch.setenv("LIUHEN_SEAL_PASSWORD", "s3cret")
    r = run_command("seal", "import", str(p12), "--agency", world.agency.short_name)
    assert r.code == 0, r.err
    assert "已导入" in r.out
    sealed = seal.seal_pdf(_pdf(), world.agency)
    status = seal.validate(sealed, world.agency)
    assert status["valid"] and status["intact"] and status["trusted"] and "（导入）" in status["signer"]
    [event] = [json.loads(bytes(e.leaf)) for e in Entry.objects.filter(action=v.SEAL_IMPORT)]
    assert event["detail"]["sha256"] == seal.certificate_info(world.agency)["sha256"]
    assert stat.S_IMODE(seal._paths(world.agency.pk)[0].stat().st_mode) == 0o600


@pytest.mark.parametrize("case", ["wrong_password", "not_p12", "missing"])
def test_a_bad_pkcs12_is_refused_and_nothing_changes(world, tmp_path, monkeypatch, case):
    seal.ensure_certificate(world.agency)
    files = {p.name: p.read_bytes() for p in seal.seal_dir().iterdir() if p.is_file()}
    if case == "wrong_password":
        path = make_p12(tmp_path, "seal.p12", b"s3cret")
    elif case == "not_p12":
        path = tmp_path / "seal.p12"
        path.write_bytes(b"PK\x03\x04 not a pkcs12")
    else:
        path = tmp_path / "absent.p12"
    monkeypatch.setenv("LIUHEN_SEAL_PASSWORD", "wrong")
    r = run_command("seal", "import", str(path), "--agency", world.agency.short_name)
    assert r.code == 2 and ("未导入：无法读取该 PKCS#12 文件" in r.err or "无法读取文件" in r.err), r.err
    assert {p.name: p.read_bytes() for p in seal.seal_dir().iterdir() if p.is_file()} == files
    assert not Entry.objects.filter(action=v.SEAL_IMPORT).exists()


def test_a_pkcs12_without_its_private_key_is_refused(world, tmp_path):
    from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12

    good = make_p12(tmp_path, "a.p12", None)
    key, cert, extra = pkcs12.load_key_and_certificates(good.read_bytes(), None)
    certs_only = pkcs12.serialize_key_and_certificates(b"x", None, cert, extra, NoEncryption())
    with pytest.raises(ValidationError) as exc:
        services.import_seal(None, world.agency, certs_only, None)
    assert exc.value.code == "p12_incomplete"
    assert not Entry.objects.filter(action=v.SEAL_IMPORT).exists()


def test_seal_show_and_an_unknown_agency(world):
    r = run_command("seal", "show", "--agency", world.agency.short_name)
    assert r.code == 0 and world.agency.name in r.out
    assert run_command("seal", "show", "--agency", "无此机关").code == 2
