"""Field encryption, blind indexes and masking (SPEC §9)."""
import base64
import hashlib
import stat

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liuhen.common import crypto
from liuhen.common.fields import EncryptedTextField

ID = "11010519491231002X"


@pytest.fixture
def home(settings, tmp_path):
    """Keys of their own for each test (the key cache is keyed by LIUHEN_HOME)."""
    settings.LIUHEN_HOME = tmp_path / "home"
    return settings.LIUHEN_HOME


def _tamper(token: str, index: int) -> str:
    suite, b64 = token.split(":", 1)
    raw = bytearray(base64.b64decode(b64))
    raw[index] ^= 0x01
    return f"{suite}:" + base64.b64encode(bytes(raw)).decode("ascii")


@pytest.mark.parametrize("suite", ["intl", "gm"])
@pytest.mark.parametrize("value", [ID, "13812345678", "辽宁省本溪市平山区某街道1号", "", "x" * 5000])
def test_round_trip(settings, home, suite, value):
    settings.LIUHEN_CRYPTO = suite
    token = crypto.encrypt(value)
    assert token.startswith(f"{suite}:")
    assert value == "" or value not in token
    assert crypto.decrypt(token) == value


@pytest.mark.parametrize("suite", ["intl", "gm"])
def test_ciphertext_layout_nonce_body_tag(settings, home, suite):
    settings.LIUHEN_CRYPTO = suite
    raw = base64.b64decode(crypto.encrypt("abcdef").split(":", 1)[1])
    assert len(raw) == 12 + 6 + 16  # nonce | ciphertext | GCM tag


def test_explicit_suite_overrides_setting(settings, home):
    settings.LIUHEN_CRYPTO = "intl"
    token = crypto.encrypt(ID, suite="gm")
    assert token.startswith("gm:")
    assert crypto.decrypt(token) == ID


def test_old_suite_values_still_decrypt_after_switch(settings, home):
    settings.LIUHEN_CRYPTO = "intl"
    old = crypto.encrypt(ID)
    settings.LIUHEN_CRYPTO = "gm"
    new = crypto.encrypt(ID)
    assert old.startswith("intl:") and new.startswith("gm:")
    assert crypto.decrypt(old) == crypto.decrypt(new) == ID


@pytest.mark.parametrize("suite", ["intl", "gm"])
def test_two_encryptions_of_the_same_value_differ(settings, home, suite):
    settings.LIUHEN_CRYPTO = suite
    a, b = crypto.encrypt(ID), crypto.encrypt(ID)
    assert a != b
    assert base64.b64decode(a.split(":")[1])[:12] != base64.b64decode(b.split(":")[1])[:12]
    assert crypto.decrypt(a) == crypto.decrypt(b) == ID


@pytest.mark.parametrize("suite", ["intl", "gm"])
@pytest.mark.parametrize("where", ["nonce", "body", "tag"])
def test_tampered_ciphertext_raises(settings, home, suite, where):
    settings.LIUHEN_CRYPTO = suite
    token = crypto.encrypt(ID)
    index = {"nonce": 0, "body": 14, "tag": -1}[where]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(_tamper(token, index))


@pytest.mark.parametrize("suite", ["intl", "gm"])
def test_truncated_ciphertext_raises(settings, home, suite):
    settings.LIUHEN_CRYPTO = suite
    token = crypto.encrypt(ID)
    suite_, b64 = token.split(":", 1)
    short = suite_ + ":" + base64.b64encode(base64.b64decode(b64)[:-1]).decode()
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(short)


def test_suite_prefix_cannot_be_swapped(settings, home):
    token = crypto.encrypt(ID, suite="intl")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("gm:" + token.split(":", 1)[1])


@pytest.mark.parametrize("token", ["not a token", "intl:%%%not-base64%%%", "xx:AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                   "index:" + base64.b64encode(b"\0" * 40).decode(), "intl:", ""])
def test_garbage_raises_decryption_error(home, token):
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_other_keys_cannot_decrypt(settings, tmp_path):
    settings.LIUHEN_HOME = tmp_path / "a"
    token = crypto.encrypt(ID)
    settings.LIUHEN_HOME = tmp_path / "b"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)
    settings.LIUHEN_HOME = tmp_path / "a"
    assert crypto.decrypt(token) == ID


def test_key_files_created_private(settings, home):
    crypto.encrypt(ID, suite="intl")
    crypto.encrypt(ID, suite="gm")
    crypto.blind_index(ID)
    sizes = {"field-aes256.key": 32, "field-sm4.key": 16, "blind-index.key": 32}
    for name, size in sizes.items():
        path = home / "keys" / name
        assert path.stat().st_size == size
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_unknown_suite_setting_is_refused(settings, home):
    settings.LIUHEN_CRYPTO = "des"
    with pytest.raises(ValueError, match="LIUHEN_CRYPTO"):
        crypto.encrypt(ID)
    settings.LIUHEN_BLIND_INDEX = "md5"
    with pytest.raises(ValueError, match="LIUHEN_BLIND_INDEX"):
        crypto.blind_index(ID)


# ---- blind index --------------------------------------------------------------------------

@pytest.mark.parametrize("suite", ["intl", "gm"])
def test_blind_index_stable_and_normalising(settings, home, suite):
    settings.LIUHEN_CRYPTO = suite
    idx = crypto.blind_index(ID)
    assert len(idx) == 64 and int(idx, 16) >= 0
    assert crypto.blind_index(ID) == idx
    assert crypto.blind_index("11010519491231002x") == idx
    assert crypto.blind_index(" 110105 19491231\t002X\n") == idx
    assert crypto.blind_index("110105194912310011") != idx


def test_blind_index_is_keyed(settings, tmp_path):
    settings.LIUHEN_HOME = tmp_path / "a"
    a = crypto.blind_index(ID)
    settings.LIUHEN_HOME = tmp_path / "b"
    b = crypto.blind_index(ID)
    assert a != b
    # Not a plain hash of the value (which anyone could recompute from a guessed ID number).
    assert a != hashlib.sha256(ID.encode()).hexdigest()


def test_blind_index_follows_its_own_setting_not_the_cipher(settings, home):
    settings.LIUHEN_CRYPTO = "intl"
    sha = crypto.blind_index(ID)
    settings.LIUHEN_CRYPTO = "gm"
    assert crypto.blind_index(ID) == sha  # switching the cipher keeps values searchable
    settings.LIUHEN_BLIND_INDEX = "hmac-sm3"
    assert crypto.blind_index(ID) != sha  # HMAC-SHA256 vs HMAC-SM3


def test_normalise():
    assert crypto.normalise(" 1101 05x ") == "110105X"


# ---- mask ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value,args,expected", [
    ("13812345678", (), "138****5678"),
    (ID, (6, 4), "110105********002X"),
    ("1234567", (), "1******"),
    ("12345678", (), "123*5678"),
    ("张", (), "张"),
    ("", (), ""),
])
def test_mask(value, args, expected):
    assert crypto.mask(value, *args) == expected


def test_mask_keeps_length_and_hides_middle():
    masked = crypto.mask(ID, 6, 4)
    assert len(masked) == len(ID)
    assert "19491231" not in masked


# ---- the model field ------------------------------------------------------------------------

def test_encrypted_field_prep_and_load(home):
    field = EncryptedTextField()
    stored = field.get_prep_value("13812345678")
    assert stored.startswith("intl:") and "13812345678" not in stored
    assert field.from_db_value(stored, None, None) == "13812345678"
    assert field.get_prep_value("") == ""
    assert field.get_prep_value(None) is None
    assert field.from_db_value("", None, None) == ""
    assert field.from_db_value(None, None, None) is None


@given(st.text(max_size=200), st.sampled_from(["intl", "gm"]))
def test_property_round_trip_any_text(value, suite):
    # Uses the default LIUHEN_HOME keys (no function-scoped fixture inside @given).
    assert crypto.decrypt(crypto.encrypt(value, suite=suite)) == value
