"""Helpers of the documents tests (文号, e-seal, issuing): a complete record to issue, an incomplete
one, poppler's text and signature check, and — run as `python -m liuhen.testing.documents_seal` — the
child process of the concurrency test, which issues numbers on a database of its own
(liuhen.testing.ledger_processes)."""
import json
import subprocess
import sys


def complete_record(world, case=None):
    """A 询问笔录 with every signature its rule asks (two officers, the party): a record to issue."""
    from liuhen.testing.cases import complete, to_investigation

    case = case or to_investigation(world)
    return complete(world, case, "inquiry_record")


def incomplete_record(world, case=None):
    """A 询问笔录 signed by one officer only: its party's and second officer's signatures missing."""
    from liuhen.testing.cases import make_record, sign_all, to_investigation
    from liuhen.records.models import SignerRole

    case = case or to_investigation(world)
    return sign_all(world, make_record(world, case, "inquiry_record"), officers=[world.officer],
                    skip=(SignerRole.PARTY,))


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdfsig(path) -> str:
    """poppler's report of the PDF's signatures (its exit code is not the signature's validity)."""
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


def make_p12(tmp_path, name: str, password: bytes | None, *, agency_name: str = "测试机关"):
    """A PKCS#12 with a self-made CA's certificate for `agency_name` (as a real CA would issue),
    written to tmp_path/name; returns its path."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试电子认证服务机构")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=365))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency_name),
                                     x509.NameAttribute(NameOID.COMMON_NAME, f"{agency_name}电子印章（导入）")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    enc = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    path = tmp_path / name
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"seal", key, cert, [ca], enc))
    return path


# ---- the child process of the concurrency test -----------------------------------------------------

def _child(argv):
    import django

    django.setup()
    from django.db import transaction

    from liuhen.accounts.models import Agency, User
    from liuhen.documents import numbers

    if argv[0] == "setup":  # one agency and one leader, in the child's fresh database
        from liuhen.accounts import services as acc
        from liuhen.accounts.roles import Role

        with transaction.atomic():
            agency = Agency.objects.create(name="并发测试机关", short_name="并测")
        acc.create_user(None, username="lingdao", full_name="领导", password="Liuhen-test-2026x",
                        agency=agency, roles=[Role.AGENCY_HEAD])
        print(json.dumps({"agency": agency.pk}))
        return
    if argv[0] == "issue":  # issue N numbers of one kind, each in a transaction of its own
        agency = Agency.objects.get(pk=int(argv[1]))
        actor = User.objects.get(username="lingdao")
        got = []
        import os
        import time
        from pathlib import Path

        go = Path(os.environ["LIUHEN_HOME"]) / "go"
        print("ready", flush=True)
        while not go.exists():  # both children start together, when the test says go
            time.sleep(0.01)
        for _ in range(int(argv[2])):
            with transaction.atomic():
                got.append(numbers.issue_number(actor, agency, "decision", year=2026).n)
        print(json.dumps(got), flush=True)
        return
    if argv[0] == "void":
        from liuhen.documents.models import DocumentNumber

        actor = User.objects.get(username="lingdao")
        numbers.void_number(actor, DocumentNumber.objects.get(pk=int(argv[1])), "测试作废")
        return
    if argv[0] == "dump":
        from liuhen.documents.models import DocumentNumber

        print(json.dumps(list(DocumentNumber.objects.order_by("n").values_list("n", "text"))))
        return
    raise SystemExit(f"unknown: {argv}")


if __name__ == "__main__":
    _child(sys.argv[1:])
