"""The agency's electronic seal (电子印章): a PAdES signature made with pyHanko and the agency's
certificate, so that a party holding the PDF — and anyone they show it to — can tell that the
agency issued exactly these bytes (ISSUE 16 item 3).

Where the certificate comes from:
- for the demo and the tests, a local certificate authority generated under
  `$LIUHEN_HOME/seal/`: a root CA (`root-ca.pem`, its key `root-ca.key`) and, per agency, a seal
  certificate whose subject is the agency's name (`agency-<id>.pem`, key `agency-<id>.key`); keys are
  created once, mode 0600, under a file lock (several processes may start at once);
- in production a PKCS#12 issued by a real CA, imported with `liuhen seal import FILE.p12`
  (`import_pkcs12`): its key, certificate and chain take the place of the local ones for that agency.

Validation: `validate(pdf)` runs pyHanko's validator against our root (or the imported chain's
root); the tests check independently with poppler's `pdfsig`.
"""
from __future__ import annotations

import datetime
import fcntl
import hashlib
import io
import os
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

FIELD_NAME = "AgencySeal"
ROOT_CERT, ROOT_KEY = "root-ca.pem", "root-ca.key"
_LOCAL_ISSUER_ORG = "留痕 Liuhen"  # the local root CA's organisation


class SealError(Exception):
    """The seal could not be applied (no usable certificate, pyHanko refused the PDF)."""


def seal_dir() -> Path:
    return Path(settings.LIUHEN_HOME) / "seal"


def _paths(agency_id) -> tuple[Path, Path, Path]:
    d = seal_dir()
    return d / f"agency-{agency_id}.key", d / f"agency-{agency_id}.pem", d / f"agency-{agency_id}-chain.pem"


@contextmanager
def _locked():
    d = seal_dir()
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(d / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield d
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_private(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write `data` to `path` atomically (a temporary file renamed into place), with `mode` from the
    start: a key is never readable by others, not even for an instant."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _new_key():
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _key_pem(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _cert_pem(cert) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return cert.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str, org: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _root(d: Path):
    """The local root CA (created once): (certificate, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    cert_path, key_path = d / ROOT_CERT, d / ROOT_KEY
    if cert_path.exists() and key_path.exists():
        return (x509.load_pem_x509_certificate(cert_path.read_bytes()),
                serialization.load_pem_private_key(key_path.read_bytes(), None))
    key = _new_key()
    name = _name("留痕本地电子印章根证书（仅供演示与测试）", _LOCAL_ISSUER_ORG)
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    _write_private(key_path, _key_pem(key))
    _write_private(cert_path, _cert_pem(cert), 0o644)
    return cert, key


def ensure_certificate(agency) -> None:
    """The agency's seal certificate: an imported one if there is one, else one issued by the local
    CA (created, with the CA, on first use) with the agency's name as its subject."""
    key_path, cert_path, chain_path = _paths(agency.pk)
    if key_path.exists() and cert_path.exists() and not _issued_to_another_name(agency, cert_path):
        return
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    with _locked() as d:
        if key_path.exists() and cert_path.exists():
            if not _issued_to_another_name(agency, cert_path):
                return
            _retire(key_path, cert_path, chain_path)
        root_cert, root_key = _root(d)
        key = _new_key()
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(_name(f"{agency.name}电子印章", agency.name))
                .issuer_name(root_cert.subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=1))
                .not_valid_after(now + datetime.timedelta(days=3 * 365))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                             crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                               critical=False)
                .sign(root_key, hashes.SHA256()))
        _write_private(key_path, _key_pem(key))
        _write_private(chain_path, _cert_pem(root_cert), 0o644)
        _write_private(cert_path, _cert_pem(cert), 0o644)  # last: its presence says the set is whole


_NAME_CHECKED: dict = {}


def _issued_to_another_name(agency, cert_path: Path) -> bool:
    """Whether the local CA issued the certificate at the agency's row number to another name.

    The files are named by the agency's row number, and a number can come back: a database
    rebuilt beside a kept LIUHEN_HOME, a test's rolled-back transaction. A seal must name the agency
    that seals (and a renamed agency seals under its new name), so such a certificate is reissued.
    An imported certificate (another issuer) is the agency's own business and stays."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    ident = (_file_id(cert_path), agency.name)
    if ident in _NAME_CHECKED:
        return _NAME_CHECKED[ident]
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    issuer = [a.value for a in cert.issuer.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    subject = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    stale = issuer == [_LOCAL_ISSUER_ORG] and subject != [agency.name]
    if len(_NAME_CHECKED) > 256:
        _NAME_CHECKED.clear()
    _NAME_CHECKED[ident] = stale
    return stale


def _retire(*paths: Path) -> None:
    """Move a replaced key set aside (never deleted: what it sealed stays explainable)."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    for path in paths:
        if path.exists():
            os.replace(path, path.with_name(f"{path.name}.retired-{stamp}"))


def certificate_info(agency) -> dict:
    """Subject, issuer, validity and SHA-256 fingerprint of the agency's seal certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    ensure_certificate(agency)
    cert = x509.load_pem_x509_certificate(_paths(agency.pk)[1].read_bytes())
    return {"subject": cert.subject.rfc4514_string(), "issuer": cert.issuer.rfc4514_string(),
            "not_after": cert.not_valid_after_utc.isoformat(), "sha256": cert.fingerprint(hashes.SHA256()).hex()}


def trust_roots(agency) -> list:
    """The certificates pyHanko's validator trusts for this agency's seal: the chain's self-signed
    certificates (the local root CA, or the imported PKCS#12's root), as asn1crypto certificates."""
    from pyhanko.keys import load_certs_from_pemder

    ensure_certificate(agency)
    chain = _paths(agency.pk)[2]
    certs = list(load_certs_from_pemder([str(chain)])) if chain.exists() else []
    roots = [c for c in certs if c.self_signed]
    return roots or certs


_SIGNERS: dict = {}


def _file_id(path: Path):
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return str(path), st.st_ino, st.st_mtime_ns, st.st_size


def _signer(agency):
    """The agency's pyHanko signer, kept while its key and certificate files stay the same.

    pyHanko's SimpleSigner parses its private key again for every signature (and signs twice per
    PDF: once to size the signature's placeholder); cryptography checks an RSA key when it loads
    it, which cost a third of a seal (bench/documents.py). The key is loaded and checked once here,
    and signs from memory until its file changes (an import)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    class KeptKeySigner(signers.SimpleSigner):
        pyca_key = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algo = mechanism.signature_algo
            except ValueError:
                algo = mechanism["algorithm"].native
            hash_algo = get_pyca_cryptography_hash(digest_algorithm)
            if algo == "rsassa_pkcs1v15" and isinstance(self.pyca_key, RSAPrivateKey):
                return self.pyca_key.sign(data, PKCS1v15(), hash_algo)
            if algo == "ecdsa" and isinstance(self.pyca_key, EllipticCurvePrivateKey):
                return self.pyca_key.sign(data, ECDSA(hash_algo))
            return super().sign_raw(data, digest_algorithm)  # PSS, EdDSA…: pyHanko's own way

    ensure_certificate(agency)
    key_path, cert_path, chain_path = _paths(agency.pk)
    ident = (_file_id(key_path), _file_id(cert_path), _file_id(chain_path))
    kept = _SIGNERS.get(ident)
    if kept is not None:
        return kept
    loaded = signers.SimpleSigner.load(str(key_path), str(cert_path),
                                       ca_chain_files=(str(chain_path),) if chain_path.exists() else None)
    if loaded is None:  # pyHanko logs and returns None on a key or certificate it cannot read
        raise SealError("无法读取本机关的电子印章证书或私钥。")
    signer = KeptKeySigner(signing_cert=loaded.signing_cert, signing_key=loaded.signing_key,
                           cert_registry=loaded.cert_registry, signature_mechanism=loaded.signature_mechanism)
    signer.pyca_key = serialization.load_der_private_key(loaded.signing_key.dump(), password=None)
    if len(_SIGNERS) > 32:
        _SIGNERS.clear()
    _SIGNERS[ident] = signer
    return signer


def _outside_any_event_loop(call):
    """`call()` where pyHanko may start an asyncio loop of its own (`sign_pdf` runs its async
    signer with asyncio.run): in a thread of its own when this thread already runs a loop (an
    async caller; Playwright's sync API in the browser tests), else here."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1, thread_name_prefix="liuhen-seal") as pool:
        return pool.submit(call).result()


def seal_pdf(pdf: bytes, agency, *, reason: str = "", location: str = "") -> bytes:
    """The PDF with the agency's PAdES seal (an incremental update: the rendered bytes stay as they
    were, the signature covers them all)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(agency)
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES,
                                        reason=reason or "行政执法文书电子印章", location=location or agency.name,
                                        name=agency.name)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        # The space the signature takes, given rather than estimated: pyHanko's estimate signs the
        # whole CMS once more (a third of a seal's time). The CMS holds the certificates, the
        # signed attributes and the signature value: their sizes plus a margin.
        # pyHanko counts it in hex digits: two per byte.
        reserved = 2 * (4096 + len(signer.signing_cert.dump()) + sum(len(c.dump()) for c in signer.cert_registry))
        out = _outside_any_event_loop(
            lambda: signers.PdfSigner(meta, signer=signer).sign_pdf(writer, bytes_reserved=reserved))
    except Exception as exc:  # noqa: BLE001 — pyHanko's errors are many; the caller gets one kind
        raise SealError(f"加盖电子印章失败：{type(exc).__name__}: {exc}") from exc
    return out.getvalue()


def validate(pdf: bytes, agency) -> dict:
    """pyHanko's validation of the seal against the agency's trust roots: {"intact", "valid",
    "trusted", "signer", "covers_whole_file"}; a PDF without a seal: ValidationError."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        sigs = reader.embedded_signatures
    except Exception as exc:  # noqa: BLE001
        raise ValidationError("文件不是可读取的 PDF。", code="not_pdf") from exc
    if not sigs:
        raise ValidationError("文件没有电子印章。", code="no_seal")
    status = _outside_any_event_loop(
        lambda: validate_pdf_signature(sigs[-1], ValidationContext(trust_roots=trust_roots(agency))))
    from pyhanko.sign.validation import SignatureCoverageLevel

    return {"intact": bool(status.intact), "valid": bool(status.valid), "trusted": bool(status.trusted),
            "signer": status.signing_cert.subject.human_friendly,
            "covers_whole_file": status.coverage == SignatureCoverageLevel.ENTIRE_FILE}


def import_pkcs12(agency, data: bytes, password: bytes | None) -> dict:
    """Put the key and certificate of a PKCS#12 (from a real CA) in place of the agency's seal.

    A wrong password, a file that is not a PKCS#12, one without a key or certificate, or a
    certificate whose key does not match: a Chinese ValidationError, and nothing is changed."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password or None)
    except ValueError as exc:
        raise ValidationError("无法读取该 PKCS#12 文件：密码错误或文件已损坏。", code="bad_p12") from exc
    except TypeError as exc:  # a password given for an unprotected file, or none for a protected one
        raise ValidationError("无法读取该 PKCS#12 文件：密码错误。", code="bad_p12") from exc
    if key is None or cert is None:
        raise ValidationError("该 PKCS#12 文件中没有私钥或证书。", code="p12_incomplete")
    from cryptography.hazmat.primitives import serialization

    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*spki) != cert.public_key().public_bytes(*spki):
        raise ValidationError("该 PKCS#12 文件中的私钥与证书不匹配。", code="p12_mismatch")
    now = datetime.datetime.now(datetime.timezone.utc)
    if not (cert.not_valid_before_utc <= now <= cert.not_valid_after_utc):
        raise ValidationError("该证书不在有效期内。", code="p12_expired")
    key_path, cert_path, chain_path = _paths(agency.pk)
    chain = b"".join(_cert_pem(c) for c in (extra or []))
    with _locked():
        _write_private(key_path, _key_pem(key))
        if chain:
            _write_private(chain_path, chain, 0o644)
        else:
            chain_path.unlink(missing_ok=True)
        _write_private(cert_path, _cert_pem(cert), 0o644)
    return {"subject": cert.subject.rfc4514_string(), "sha256": cert.fingerprint(hashes.SHA256()).hex(),
            "chain": len(extra or [])}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
