"""Signed notes and checkpoints against the published conformance vectors (no Django needed).

Vectors: liuhen/ledger/tests/vectors/checkpoint (golang/mod sumdb/note, C2SP signed-note and tlog-checkpoint,
real sum.golang.org checkpoints, transparency-dev/formats, derived Liuhen notes) and
liuhen/ledger/tests/vectors/sm (SM3: GB/T 32905 annex and OpenSSL/GmSSL vectors; SM2: GB/T 32918 annex on
the recommended and the test curve, OpenSSL EVP verify vectors).
"""
import base64
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from gmssl import sm2 as gmssl_sm2

from liuhen.ledger.core import note as N
from liuhen.ledger.core.checkpoint import (
    Checkpoint,
    CheckpointError,
    format_checkpoint,
    open_checkpoint,
    parse_checkpoint,
    sign_checkpoint,
)
from liuhen.ledger.core.note import (
    Ed25519Signer,
    InvalidSignatureError,
    MalformedNoteError,
    NoteError,
    SM2Signer,
    UnverifiedNoteError,
    open_note,
    sign_note,
    signer_from_skey,
    verifier_from_vkey,
)

VECTORS = Path(__file__).resolve().parent / "vectors"  # copied in: see vectors/README.md
CP_DIR = VECTORS / "checkpoint"
NOTES = CP_DIR / "notes"
KEYS = json.loads((CP_DIR / "keys.json").read_text(encoding="utf-8"))
CASES = json.loads((CP_DIR / "cases.json").read_text(encoding="utf-8"))
SM3_VECTORS = json.loads((VECTORS / "sm" / "sm3_vectors.json").read_text(encoding="utf-8"))
SM2_VECTORS = json.loads((VECTORS / "sm" / "sm2_vectors.json").read_text(encoding="utf-8"))

ZERO_SEED = bytes(32)
LIUHEN_NAME = "example.com/liuhen-acceptance"


def note_bytes(name):
    return (NOTES / name).read_bytes()


def verifiers(names):
    return [verifier_from_vkey(KEYS["keys"][n]["vkey"]) for n in names]


def case_id(c):
    return f"{c['file']}-{'+'.join(c['verifiers']) or 'none'}-{c['expect']}"


def expected_error(c):
    err = c["error"]
    if err.startswith("malformed"):
        return MalformedNoteError
    if err.startswith("invalid signature"):
        return InvalidSignatureError
    if err.startswith("no verifiable signatures"):
        return (UnverifiedNoteError, MalformedNoteError) if "or malformed" in err else UnverifiedNoteError
    raise AssertionError(f"unclassified error {err!r}")


# ---- keys ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(KEYS["keys"]))
def test_vkey_parses_and_round_trips(name):
    k = KEYS["keys"][name]
    v = verifier_from_vkey(k["vkey"])
    assert v.name == name
    assert v.key_id.hex() == k["vkey"].split("+")[1]
    assert v.vkey() == k["vkey"]
    assert isinstance(v, N.Ed25519Verifier)


def test_vkey_whose_base64_contains_plus():
    vkey = KEYS["keys"]["sum.golang.org"]["vkey"]
    assert vkey.count("+") > 2
    assert verifier_from_vkey(vkey).key_id == bytes.fromhex("033de0ae")


@pytest.mark.parametrize("name", sorted(n for n, k in KEYS["keys"].items() if "skey" in k))
def test_skey_derives_published_vkey(name):
    k = KEYS["keys"][name]
    s = signer_from_skey(k["skey"])
    assert isinstance(s, Ed25519Signer)
    assert s.name == name
    assert s.vkey() == k["vkey"]
    assert s.skey() == k["skey"]
    assert Ed25519Signer.from_seed(name, s.seed).skey() == k["skey"]


@pytest.mark.parametrize("name", ["EnochRoot", LIUHEN_NAME])
def test_zero_seed_keys(name):
    s = Ed25519Signer.from_seed(name, ZERO_SEED)
    assert s.seed == ZERO_SEED
    assert s.skey() == KEYS["keys"][name]["skey"]
    assert s.vkey() == KEYS["keys"][name]["vkey"]
    assert s.verifier().vkey() == s.vkey()


@pytest.mark.parametrize("iv", KEYS["invalid_vkeys"], ids=lambda iv: iv["why"][:40])
def test_invalid_vkeys_rejected(iv):
    with pytest.raises(NoteError):
        verifier_from_vkey(iv["vkey"])


@pytest.mark.parametrize("bad", [
    "",
    "PeterNeumann",
    "PeterNeumann+c74f20a3",
    "PeterNeumann+c74f20a3+",
    "PeterNeumann+c74f20+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "PeterNeumann+c74f20g3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n",
    "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "Peter\u00a0Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
])
def test_more_invalid_vkeys_rejected(bad):
    with pytest.raises(NoteError):
        verifier_from_vkey(bad)


def test_skey_with_wrong_key_id_rejected():
    skey = KEYS["keys"]["PeterNeumann"]["skey"].replace("c74f20a3", "c74f20a4")
    with pytest.raises(NoteError):
        signer_from_skey(skey)
    with pytest.raises(NoteError):
        signer_from_skey(KEYS["keys"]["PeterNeumann"]["vkey"])


def test_generated_ed25519_key_round_trips():
    s = Ed25519Signer.generate("example.com/gen")
    assert len(s.seed) == 32 and len(s.key_id) == 4
    assert signer_from_skey(s.skey()).vkey() == s.vkey()
    assert "PRIVATE" not in repr(s) and s.seed.hex() not in repr(s)


@pytest.mark.parametrize("name", ["", "a b", "a+b", "a\tb", "a\u2003b", "a\nb"])
def test_invalid_signer_names(name):
    with pytest.raises(NoteError):
        Ed25519Signer.from_seed(name, ZERO_SEED)


# ---- acceptance cases ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES["cases"], ids=case_id)
def test_case(case):
    raw = note_bytes(case["file"])
    vs = verifiers(case["verifiers"])
    inputs = [raw, raw.decode("utf-8", "surrogateescape")]  # bytes, and str (surrogates if not UTF-8)
    for note in inputs:
        if case["expect"] == "accept":
            opened = open_note(note, vs)
            assert opened.verified == case["verified"]
            assert [n for n, _ in opened.unverified] == case["unverified"]
            assert all(len(kid) == 4 for _, kid in opened.unverified)
            assert opened.text.encode("utf-8") == raw[: raw.rfind(b"\n\n") + 1]
        else:
            with pytest.raises(expected_error(case)):
                open_note(note, vs)
    if "checkpoint" in case:
        want = case["checkpoint"]
        text = raw[: raw.rfind(b"\n\n") + 1].decode("utf-8")
        cp = parse_checkpoint(text)
        assert cp.origin == want["origin"]
        assert cp.size == want["size"]
        assert cp.root_hash == base64.b64decode(want["root_b64"])
        assert cp.extensions == tuple(want.get("extensions", ()))
        assert format_checkpoint(cp) == text
        if case["expect"] == "accept":
            cp2, opened = open_checkpoint(raw.decode("utf-8"), vs)
            assert cp2 == cp and opened.verified == case["verified"]


def test_unverified_key_ids_are_reported():
    opened = open_note(note_bytes("gomod_peter_enoch.note"), verifiers(["PeterNeumann"]))
    assert opened.unverified == [("EnochRoot", bytes.fromhex("af0cfe78"))]


def test_c2sp_example_rejected_by_unrelated_key():
    with pytest.raises(UnverifiedNoteError):
        open_note(note_bytes("c2sp_example_foo.note"), verifiers(["PeterNeumann"]))


def test_failing_second_signature_from_trusted_key_rejects():
    """Policy (C2SP, stricter than golang.org/x/mod): every trusted signature is verified."""
    good = note_bytes("gomod_peter.note").decode()
    bad_line = note_bytes("gomod_bad_invalid_signature.note").decode().split("\n\n")[1]
    with pytest.raises(InvalidSignatureError):
        open_note(good + bad_line, verifiers(["PeterNeumann"]))
    # the good line alone, repeated, is one verified signature
    assert open_note(good + good.split("\n\n")[1], verifiers(["PeterNeumann"])).verified == ["PeterNeumann"]


def test_exactly_100_signatures_accepted_101_rejected():
    base = note_bytes("gomod_peter.note").decode()
    text, line = base.split("\n\n")
    assert open_note(text + "\n\n" + line * 100, verifiers(["PeterNeumann"])).verified == ["PeterNeumann"]
    with pytest.raises(MalformedNoteError):
        open_note(text + "\n\n" + line * 101, verifiers(["PeterNeumann"]))


def test_same_verifier_twice_is_not_ambiguous():
    vs = verifiers(["PeterNeumann", "PeterNeumann"])
    assert open_note(note_bytes("gomod_peter.note"), vs).verified == ["PeterNeumann"]


@pytest.mark.parametrize("mutate", [
    lambda s: s.replace("\u2014 ", "- "),
    lambda s: s.replace("\u2014 PeterNeumann ", "\u2014 PeterNeumann  "),
    lambda s: s.replace("JnAM=", "JnAM"),
    lambda s: s.replace("\n\n", "\n\n\n"),
    lambda s: s + "\n",
    lambda s: s.replace("\n", "\r\n"),
    lambda s: s.replace("\u2014 PeterNeumann x08g", "\u2014 PeterNeumann x08g\t"),
])
def test_malformed_mutations_rejected(mutate):
    s = note_bytes("gomod_peter.note").decode()
    with pytest.raises(NoteError):
        open_note(mutate(s), verifiers(["PeterNeumann"]))


def test_text_with_blank_lines_splits_at_last_blank_line():
    s = Ed25519Signer.from_seed("example.com/blank", ZERO_SEED)
    text = "a\n\nb\n\n"
    note = sign_note(text, [s])
    assert note.startswith(text + "\n\u2014 ")
    assert open_note(note, [s.verifier()]).text == text


# ---- signing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("sv", CASES["sign_vectors"], ids=lambda sv: sv["want_file"])
def test_sign_vector_byte_exact(sv):
    signer = signer_from_skey(KEYS["keys"][sv["skey"]]["skey"])
    want = note_bytes(sv["want_file"]).decode("utf-8")
    if sv.get("existing_note"):
        existing = note_bytes(sv["existing_note"]).decode("utf-8")
        assert sign_note(None, [signer], existing_note=existing) == want
        text = open_note(existing, verifiers(["PeterNeumann"])).text
        assert sign_note(text, [signer], existing_note=existing) == want
    else:
        assert sign_note(sv["text"], [signer]) == want


def test_sign_with_two_signers_in_order():
    peter = signer_from_skey(KEYS["keys"]["PeterNeumann"]["skey"])
    enoch = Ed25519Signer.from_seed("EnochRoot", ZERO_SEED)
    text = open_note(note_bytes("gomod_peter.note"), verifiers(["PeterNeumann"])).text
    assert sign_note(text, [peter, enoch]) == note_bytes("gomod_peter_enoch.note").decode()


def test_existing_signature_from_same_key_is_replaced_and_duplicates_dropped():
    existing = note_bytes("gomod_dup_sigs_and_bad_unknown.note").decode()
    peter = signer_from_skey(KEYS["keys"]["PeterNeumann"]["skey"])
    out = sign_note(None, [peter], existing_note=existing)
    lines = out.split("\n\n")[1].splitlines()
    assert [ln.split(" ")[1] for ln in lines] == ["EnochRoot", "EnochRoot", "PeterNeumann"]
    assert len(set(lines)) == 3


def test_sign_note_rejects_mismatched_text():
    existing = note_bytes("gomod_peter.note").decode()
    enoch = Ed25519Signer.from_seed("EnochRoot", ZERO_SEED)
    with pytest.raises(NoteError):
        sign_note("other text\n", [enoch], existing_note=existing)
    with pytest.raises(NoteError):
        sign_note(None, [enoch], existing_note=note_bytes("gomod_bad_unexpected_line.note").decode())


@pytest.mark.parametrize("text", ["", "no final newline", "bell \x07\n", "cr\r\n", "tab\tx\n", "\ud800\n"])
def test_sign_note_rejects_bad_text(text):
    with pytest.raises(NoteError):
        sign_note(text, [Ed25519Signer.from_seed("example.com/x", ZERO_SEED)])


def test_sign_note_needs_a_signer_and_distinct_keys():
    s = Ed25519Signer.from_seed("example.com/x", ZERO_SEED)
    with pytest.raises(NoteError):
        sign_note("text\n", [])
    with pytest.raises(NoteError):
        sign_note("text\n", [s, Ed25519Signer.from_seed("example.com/x", ZERO_SEED)])


def test_unicode_text_round_trips():
    s = Ed25519Signer.from_seed("example.com/留痕", ZERO_SEED)
    note = sign_note("留痕 — 执法全过程记录\n", [s])
    opened = open_note(note.encode("utf-8"), [verifier_from_vkey(s.vkey())])
    assert opened.text == "留痕 — 执法全过程记录\n" and opened.verified == ["example.com/留痕"]


# ---- checkpoints --------------------------------------------------------------------------------


DERIVED = [c for c in CASES["cases"] if c["file"].startswith("derived_liuhen_")]


@pytest.mark.parametrize("case", DERIVED, ids=lambda c: c["file"])
def test_derived_liuhen_notes_reproduced_byte_for_byte(case):
    want = case["checkpoint"]
    cp = Checkpoint(
        origin=want["origin"],
        size=want["size"],
        root_hash=base64.b64decode(want["root_b64"]),
        extensions=tuple(want.get("extensions", ())),
    )
    signer = Ed25519Signer.from_seed(LIUHEN_NAME, ZERO_SEED)
    note = sign_checkpoint(cp, [signer])
    assert note.encode("utf-8") == note_bytes(case["file"])
    got, opened = open_checkpoint(note, [verifier_from_vkey(KEYS["keys"][LIUHEN_NAME]["vkey"])],
                                  origin=LIUHEN_NAME)
    assert got == cp and opened.verified == [LIUHEN_NAME]


def test_derived_roots_are_the_rfc6962_roots():
    merkle = json.loads((VECTORS / "merkle" / "rfc6962_vectors.json").read_text(encoding="utf-8"))
    by_file = {c["file"]: base64.b64decode(c["checkpoint"]["root_b64"]) for c in DERIVED}
    assert by_file["derived_liuhen_size8.note"] == bytes.fromhex(merkle["roots"]["8"])
    assert by_file["derived_liuhen_size0.note"] == bytes.fromhex(merkle["empty_tree_hash"])


@pytest.mark.parametrize("fv", CASES["format_vectors"], ids=lambda fv: fv["desc"][:30])
def test_format_vector(fv):
    root = hashlib.sha256(b"\x00" + fv["leaf_data_utf8"].encode()).digest()
    cp = Checkpoint(fv["origin"], fv["size"], root)
    assert format_checkpoint(cp) == fv["want_body"]
    assert parse_checkpoint(fv["want_body"]) == cp


def test_open_checkpoint_origin_mismatch():
    with pytest.raises(CheckpointError):
        open_checkpoint(note_bytes("sumdb_6476701.note"), verifiers(["sum.golang.org"]), origin="other")


def test_open_checkpoint_of_non_checkpoint_note():
    with pytest.raises(CheckpointError):
        open_checkpoint(note_bytes("gomod_peter.note"), verifiers(["PeterNeumann"]))


@pytest.mark.parametrize("name", ["sumdb_6476701_TAMPERED_root.note", "sumdb_6476701_TAMPERED_size.note"])
def test_tampered_sumdb_checkpoints_rejected(name):
    with pytest.raises(InvalidSignatureError):
        open_checkpoint(note_bytes(name), verifiers(["sum.golang.org"]))


def test_sumdb_cosigned_checkpoint():
    cp, opened = open_checkpoint(note_bytes("sumdb_6476701_cosigned.note"),
                                 verifiers(["sum.golang.org", "witness"]))
    assert cp.size == 6476701 and cp.origin == "go.sum database tree"
    assert opened.verified == ["sum.golang.org", "witness"]
    assert [n for n, _ in opened.unverified] == ["monkeys", "bananas", "random1", "random2"]


ROOT_B64 = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="


@pytest.mark.parametrize("body", [
    f"o\n007\n{ROOT_B64}\n",        # leading zeros
    f"o\n00\n{ROOT_B64}\n",
    f"o\n+8\n{ROOT_B64}\n",         # sign
    f"o\n-1\n{ROOT_B64}\n",
    f"o\n 8\n{ROOT_B64}\n",         # spaces
    f"o\n8 \n{ROOT_B64}\n",
    f"o\n1_000\n{ROOT_B64}\n",      # int() would accept these
    f"o\n\u0668\n{ROOT_B64}\n",     # Arabic-Indic digit eight
    f"o\n0x8\n{ROOT_B64}\n",
    f"o\n\n{ROOT_B64}\n",           # empty size
    f"o\n18446744073709551616\n{ROOT_B64}\n",  # 2**64
    f"o\n8\n{ROOT_B64[:-1]}\n",     # missing padding
    f"o\n8\n{ROOT_B64[:-2]}h=\n",   # non-canonical: 'h' sets bits that padding drops
    "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQw==\n",   # 31 bytes
    f"o\n8\n{ROOT_B64[:-1]}A\n",    # 44 characters without padding: 33 bytes
    f"o\n8\n{ROOT_B64.replace('+', '-')}\n",  # URL alphabet
    f"o\n8\n {ROOT_B64}\n",
    f"\n8\n{ROOT_B64}\n",           # empty origin
    "o\n8\n",                       # missing root
    "o\n",
    "",
    f"o\n8\n{ROOT_B64}",            # no final newline
    f"o\n8\n{ROOT_B64}\n\n",        # empty extension line
    f"o\n8\n{ROOT_B64}\next\n\n",
    f"o\r\n8\n{ROOT_B64}\n",        # control character
    f"o\n8\r\n{ROOT_B64}\n",
])
def test_parse_checkpoint_rejects(body):
    with pytest.raises(CheckpointError):
        parse_checkpoint(body)


def test_parse_checkpoint_limits_and_extensions():
    assert parse_checkpoint(f"o\n18446744073709551615\n{ROOT_B64}\n").size == 2**64 - 1
    assert parse_checkpoint(f"o\n0\n{ROOT_B64}\n").size == 0
    cp = parse_checkpoint(f"a b+c\n8\n{ROOT_B64}\nx\ny z\n")
    assert cp.origin == "a b+c" and cp.extensions == ("x", "y z")
    assert format_checkpoint(cp) == f"a b+c\n8\n{ROOT_B64}\nx\ny z\n"
    assert cp.root_hash_b64 == ROOT_B64


@pytest.mark.parametrize("cp", [
    Checkpoint("", 1, bytes(32)),
    Checkpoint("o\nx", 1, bytes(32)),
    Checkpoint("o", -1, bytes(32)),
    Checkpoint("o", 2**64, bytes(32)),
    Checkpoint("o", True, bytes(32)),
    Checkpoint("o", 1, bytes(31)),
    Checkpoint("o", 1, "00" * 32),
    Checkpoint("o", 1, bytes(32), ("",)),
    Checkpoint("o", 1, bytes(32), ("a\nb",)),
])
def test_format_checkpoint_rejects(cp):
    with pytest.raises(CheckpointError):
        format_checkpoint(cp)


def test_checkpoint_extensions_normalised_to_tuple():
    cp = Checkpoint("o", 1, bytes(32), ["x"])
    assert cp.extensions == ("x",)
    with pytest.raises(CheckpointError):
        Checkpoint("o", 1, bytes(32), "x")


# ---- SM3 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("v", SM3_VECTORS["vectors"], ids=lambda v: v["name"][:50])
def test_sm3_vector(v):
    data = bytes.fromhex(v["input_hex"])
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    assert h.finalize().hex() == v["want"]
    assert N.sm3(data).hex() == v["want"]


# ---- SM2 vectors (gmssl does the curve arithmetic) ----------------------------------------------


def _curve(name):
    c = SM2_VECTORS["curves"][name]
    return N.SM2Curve(**{k: c[k].lower() for k in ("p", "a", "b", "gx", "gy", "n")})


def test_recommended_curve_matches_vectors():
    assert _curve("sm2p256v1") == N.SM2P256V1


@pytest.mark.parametrize("sv", SM2_VECTORS["sign_vectors"], ids=lambda sv: sv["curve"])
def test_sm2_sign_vector(sv):
    """Both GB/T 32918 annex examples: gmssl takes a custom curve table, so the Fp-256 test curve
    works as well as sm2p256v1; Z_A is computed here (gmssl's own Z_A hard-codes the default ID
    and the ALICE example uses 'ALICE123@YAHOO.COM')."""
    curve = _curve(sv["curve"])
    d = int(sv["private_key"], 16)
    pub = N.sm2_public_key(d, curve)
    assert pub == bytes.fromhex(sv["public_key_x"] + sv["public_key_y"])
    uid = sv["id_utf8"].encode()
    za = N.sm2_za(pub, uid, curve)
    if "z" in sv:
        assert za.hex() == sv["z"].lower()
    e = N.sm3(za + sv["message_utf8"].encode())
    r, s = int(sv["r"], 16), int(sv["s"], 16)
    assert N.sm2_sign_digest(d, e, int(sv["k"], 16), curve) == (r, s)
    assert N.sm2_verify_digest(pub, e, r, s, curve)
    # negatives
    n = curve.n_int
    other_id = b"1234567812345678" if uid != b"1234567812345678" else b"ALICE123@YAHOO.COM"
    assert not N.sm2_verify_digest(pub, N.sm3(za + sv["message_utf8"].encode() + b"!"), r, s, curve)
    assert not N.sm2_verify_digest(pub, N.sm3(N.sm2_za(pub, other_id, curve) + sv["message_utf8"].encode()), r, s, curve)
    assert not N.sm2_verify_digest(pub, e, s, r, curve)
    assert not N.sm2_verify_digest(pub, e, r + n, s, curve)
    assert not N.sm2_verify_digest(pub, e, r, s + n, curve)
    assert not N.sm2_verify_digest(pub, e, r, 0, curve)
    assert not N.sm2_verify_digest(pub, e, 0, s, curve)
    assert not N.sm2_verify_digest(N.sm2_public_key(d + 1, curve), e, r, s, curve)


def test_sm2_recommended_vector_through_gmssl_default_id_path():
    """gmssl's own SM3-with-SM2 path (default ID, its pure-Python SM3) agrees with ours."""
    sv = SM2_VECTORS["sign_vectors"][0]
    assert sv["id_utf8"] == "1234567812345678"
    pub_hex = (sv["public_key_x"] + sv["public_key_y"]).lower()
    g = gmssl_sm2.CryptSM2(private_key=sv["private_key"], public_key="")
    g.public_key = pub_hex  # CryptSM2() would lstrip('04') the leading '0' of X = 09F9...
    sig = g.sign_with_sm3(sv["message_utf8"].encode(), sv["k"])
    assert sig == (sv["r"] + sv["s"]).lower()
    assert g.verify_with_sm3(sig, sv["message_utf8"].encode())
    # and as a note verifier on the recommended curve (r || s over the message)
    v = N.SM2Verifier("example.com/annex", bytes.fromhex("04" + pub_hex))
    assert v.verify(sv["message_utf8"].encode(), bytes.fromhex(sig))
    assert not v.verify(b"message digesT", bytes.fromhex(sig))


def _pkcs8_sm2(b64):
    der = base64.b64decode(b64)
    assert bytes.fromhex("2a811ccf5501822d") in der  # OID 1.2.156.10197.1.301 sm2p256v1
    i = der.index(bytes.fromhex("0201010420"))
    d = int.from_bytes(der[i + 5:i + 37], "big")
    j = der.index(bytes.fromhex("03420004"))
    return d, der[j + 4:j + 68]


def _der_rs(der):
    assert der[0] == 0x30 and der[1] == len(der) - 2
    out, i = [], 2
    for _ in range(2):
        assert der[i] == 0x02
        out.append(int.from_bytes(der[i + 2:i + 2 + der[i + 1]], "big"))
        i += 2 + der[i + 1]
    assert i == len(der)
    return out


@pytest.mark.parametrize("pv", SM2_VECTORS["prehashed_verify_vectors"], ids=lambda pv: pv["name"][-2:])
def test_sm2_openssl_prehashed_vector(pv):
    d, pub = _pkcs8_sm2(pv["private_key_pkcs8_pem_b64"])
    assert N.sm2_public_key(d) == pub
    r, s = _der_rs(bytes.fromhex(pv["signature_der"]))
    e = bytes.fromhex(pv["e"])
    assert N.sm2_verify_digest(pub, e, r, s) is pv["expect"]
    assert not N.sm2_verify_digest(pub, bytes([e[0] ^ 1]) + e[1:], r, s)
    # gmssl's DER mode reads the same signature
    g = gmssl_sm2.CryptSM2(private_key=None, public_key="", asn1=True)
    g.public_key = pub.hex()
    assert g.verify(pv["signature_der"].lower(), e) is pv["expect"]


# ---- SM2 in notes -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sm2_signer():
    sv = SM2_VECTORS["sign_vectors"][0]
    return SM2Signer.from_private_hex("example.com/liuhen-sm2", sv["private_key"])


def test_sm2_key_strings(sm2_signer):
    vkey = sm2_signer.vkey()
    raw = base64.b64decode(vkey.split("+", 2)[2])
    assert raw.startswith(b"\xff" + b"liuhen/sm2-sm3-v1" + b"\x04")
    assert len(raw) == 1 + len(b"liuhen/sm2-sm3-v1") + 65
    assert sm2_signer.key_id == hashlib.sha256(b"example.com/liuhen-sm2\n" + raw).digest()[:4]
    v = verifier_from_vkey(vkey)
    assert isinstance(v, N.SM2Verifier) and v.vkey() == vkey and v.key_id == sm2_signer.key_id
    s2 = signer_from_skey(sm2_signer.skey())
    assert isinstance(s2, SM2Signer) and s2.private_hex == sm2_signer.private_hex.lower()
    assert s2.vkey() == vkey
    assert sm2_signer.private_hex not in repr(sm2_signer)


def test_sm2_note_round_trip_and_rejections(sm2_signer):
    text = format_checkpoint(Checkpoint("example.com/liuhen-sm2", 8, base64.b64decode(ROOT_B64)))
    note = sign_checkpoint(parse_checkpoint(text), [sm2_signer])
    sig = base64.b64decode(note.split("\n\n")[1].split(" ")[2])
    assert sig[:4] == sm2_signer.key_id and len(sig) == 4 + 64
    v = verifier_from_vkey(sm2_signer.vkey())
    cp, opened = open_checkpoint(note, [v])
    assert cp.size == 8 and opened.verified == ["example.com/liuhen-sm2"] and opened.unverified == []

    # signed by another key (same name, different key ID): not trusted -> no verifiable signature
    other = SM2Signer.generate("example.com/liuhen-sm2")
    with pytest.raises(UnverifiedNoteError):
        open_note(sign_note(text, [other]), [v])
    # a signature by another key under the trusted key's name and ID: fails -> rejected
    forged_sig = other.sign(text.encode())
    forged = text + "\n\u2014 example.com/liuhen-sm2 " + base64.b64encode(sm2_signer.key_id + forged_sig).decode() + "\n"
    with pytest.raises(InvalidSignatureError):
        open_note(forged, [v])
    # modified body
    with pytest.raises(InvalidSignatureError):
        open_note(note.replace("\n8\n", "\n9\n"), [v])
    # a corrupted r or s (r = 0)
    zero_r = text + "\n\u2014 example.com/liuhen-sm2 " + base64.b64encode(sm2_signer.key_id + bytes(32) + sig[36:]).decode() + "\n"
    with pytest.raises(InvalidSignatureError):
        open_note(zero_r, [v])


def test_mixed_ed25519_and_sm2_signatures(sm2_signer):
    ed = Ed25519Signer.from_seed(LIUHEN_NAME, ZERO_SEED)
    text = format_checkpoint(Checkpoint(LIUHEN_NAME, 0, hashlib.sha256(b"").digest()))
    note = sign_note(None, [sm2_signer], existing_note=sign_note(text, [ed]))
    assert note.startswith(note_bytes("derived_liuhen_size0.note").decode())
    opened = open_note(note, [ed.verifier(), sm2_signer.verifier()])
    assert opened.verified == [LIUHEN_NAME, "example.com/liuhen-sm2"]
    # a Go-style verifier that knows only Ed25519 ignores the SM2 line as an unknown key
    opened = open_note(note, [ed.verifier()])
    assert opened.verified == [LIUHEN_NAME] and [n for n, _ in opened.unverified] == ["example.com/liuhen-sm2"]


def test_gmssl_verifies_our_sm2_note_signature(sm2_signer):
    text = b"interop with gmssl's default-ID SM3-with-SM2\n"
    sig = sm2_signer.sign(text)
    g = gmssl_sm2.CryptSM2(private_key=None, public_key="")
    g.public_key = sm2_signer.public_xy.hex()
    assert g.verify_with_sm3(sig.hex(), text)


@pytest.mark.parametrize("private_hex", ["0", "0" * 64, N.SM2P256V1.n, "%x" % (N.SM2P256V1.n_int - 1), "xyz", "1" * 65])
def test_sm2_private_key_range(private_hex):
    with pytest.raises(NoteError):
        SM2Signer.from_private_hex("example.com/x", private_hex)


def _sm2_vkey(name, typed):
    kid = hashlib.sha256(name.encode() + b"\n" + typed).digest()[:4]
    return f"{name}+{kid.hex()}+{base64.b64encode(typed).decode()}"


def test_invalid_sm2_vkeys(sm2_signer):
    t = N.SM2_SIGNATURE_TYPE
    xy = sm2_signer.public_xy
    assert verifier_from_vkey(_sm2_vkey("n", t + b"\x04" + xy)).name == "n"
    bad = [
        t + b"\x04" + xy[:32] + bytes(32),                        # not on the curve
        t + b"\x04" + bytes(64),                                  # (0, 0)
        t + b"\x02" + xy[:32],                                    # compressed point
        t + xy,                                                   # no 0x04
        t + b"\x04" + xy + b"\x00",                               # trailing byte
        b"\xff" + b"liuhen/sm2-sm3-v2" + b"\x04" + xy,            # other 0xff identifier
        b"\x02" + b"\x04" + xy,                                   # ECDSA type byte
    ]
    for typed in bad:
        with pytest.raises(NoteError):
            verifier_from_vkey(_sm2_vkey("n", typed))


def test_modules_do_not_import_django():
    code = ("import sys; import liuhen.ledger.core.note, liuhen.ledger.core.checkpoint; "
            "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[3]).returncode == 0


def test_custom_signer_subclass_needs_only_name_key_id_sign_vkey():
    class Wrapped(N.Signer):
        def __init__(self, inner):
            self.inner, self.name, self.key_id = inner, inner.name, inner.key_id

        def sign(self, msg):
            return self.inner.sign(msg)

        def vkey(self):
            return self.inner.vkey()

    w = Wrapped(Ed25519Signer.from_seed(LIUHEN_NAME, ZERO_SEED))
    text = format_checkpoint(Checkpoint(LIUHEN_NAME, 0, hashlib.sha256(b"").digest()))
    assert sign_note(text, [w]).encode() == note_bytes("derived_liuhen_size0.note")
    with pytest.raises(NotImplementedError):
        w.skey()
