"""Review of issue 14 (copies): the offline checker of a copy package against a forger who edits
what the manifest says a receiver reads — the receiving body, the purpose, the court's 案号, who
asked and who approved — and against a manifest of the wrong shape (exit 2, not a traceback)."""
import json
import shutil

import pytest

from liuhen.copies import services
from liuhen.copies.package import package_dir
from liuhen.ledger.core.package import verify_package
from liuhen.testing.copies import approved, case_with_footage, check_offline, vkey_file

# django_db: so that a run of this module alone sets up the test database its package is made in
pytestmark = [pytest.mark.usefixtures("fresh_home"), pytest.mark.django_db]


@pytest.fixture(scope="module")
def made_once(tmp_path_factory, django_db_setup, django_db_blocker):
    """The package and its verifier key, made once for the module (in a transaction rolled back, in a
    home of its own): the tests read files only (the offline checker), each edits a copy of its own."""
    from django.db import transaction
    from django.test import override_settings

    from liuhen.ledger import storage
    from liuhen.testing.demo import FAST_HASHER, forget_process_caches
    from liuhen.testing.world import World

    where = tmp_path_factory.mktemp("package")
    storage._cache.clear()
    with django_db_blocker.unblock(), override_settings(LIUHEN_HOME=where / "home", LIUHEN_BLOB_DIR=where / "blobs",
                                                        PASSWORD_HASHERS=FAST_HASHER):
        with transaction.atomic():
            world = World()
            c = case_with_footage(world, where, names=("A.MP4",))
            package = services.make_package(world.archivist, approved(c))
            shutil.copytree(package_dir(package), where / "received")
            vkey = vkey_file(where)
            transaction.set_rollback(True)
    forget_process_caches()  # ids of the rolled-back rows
    return where / "received", vkey


@pytest.fixture
def made(made_once, tmp_path):
    good, vkey = made_once
    shutil.copytree(good, tmp_path / "received")
    return tmp_path / "received", vkey


def _edit(root, change) -> None:
    data = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    change(data)
    (root / "manifest.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _failed(root, vkey) -> set[str]:
    return {c.code for c in verify_package(root, vkey.read_text()) if not c.ok}


def test_a_good_package_still_passes(made):
    root, vkey = made
    assert _failed(root, vkey) == set()


@pytest.mark.parametrize("field,value", [
    ("receiver", "另一个人民法院"),
    ("purpose", "别的用途"),
    ("court_case_number", "（2026）辽0502行审99号"),
    ("receiver_kind", "procuratorate"),
])
def test_the_request_as_the_manifest_tells_it_is_the_logged_one(made, field, value):
    """The receiver reads whom the copy was made for and why in manifest.json: a package made for
    one court and relabelled for another must fail (LW-D 15: the copy is recorded as approved)."""
    root, vkey = made
    _edit(root, lambda d: d["request"].__setitem__(field, value))
    assert "request.event" in _failed(root, vkey)


@pytest.mark.parametrize("field,value", [
    ("requested_by", {"id": 999, "name": "冒名者"}),
])
def test_who_asked_is_the_logged_one(made, field, value):
    root, vkey = made
    _edit(root, lambda d: d["request"].__setitem__(field, value))
    assert "request.event" in _failed(root, vkey)


@pytest.mark.parametrize("field,value", [
    ("opinion", "不同意。"),
    ("decided_by", {"id": 999, "name": "冒名领导"}),
])
def test_the_approval_as_the_manifest_tells_it_is_the_logged_one(made, field, value):
    root, vkey = made
    _edit(root, lambda d: d["approval"].__setitem__(field, value))
    assert "approval.event" in _failed(root, vkey)


@pytest.mark.parametrize("change", [
    lambda d: d.__setitem__("files", ["files/x"]),
    lambda d: d.__setitem__("package_files", ["entries.jsonl"]),
    lambda d: d["files"][0].__setitem__("entries", [1, 2]),
    lambda d: d["request"].__setitem__("entry", [1]),
    lambda d: d.__setitem__("hash", "md5-nonsense"),
], ids=["files-not-objects", "package-files-a-list", "entries-a-list", "entry-a-list", "unknown-hash"])
def test_a_manifest_of_the_wrong_shape_is_an_error_not_a_traceback(made, change):
    root, vkey = made
    _edit(root, change)
    run = check_offline(root, vkey)
    assert run.returncode in (1, 2), run.stdout + run.stderr
    assert "Traceback" not in run.stderr, run.stderr


def test_the_case_number_as_the_manifest_tells_it_is_the_logged_one(made):
    """The case number (案件编号) a court files the evidence under is the request's logged one: the
    request's state holds it, its event's content_sha256 binds it."""
    root, vkey = made
    _edit(root, lambda d: d["case"].__setitem__("number", "测水罚〔2026〕999号"))
    assert "request.event" in _failed(root, vkey)


def test_the_case_number_changed_in_both_places_fails_too(made):
    """A forger who changes the number in the manifest's case and in the request's state alike breaks
    the state's digest the log recorded."""
    root, vkey = made

    def change(d):
        d["case"]["number"] = "测水罚〔2026〕999号"
        d["request"]["state"]["case_number"] = "测水罚〔2026〕999号"
    _edit(root, change)
    assert "request.event" in _failed(root, vkey)


@pytest.mark.parametrize("field,value", [
    ("recorded_local", "2020-01-01T08:00:00"),
    ("utc_offset_minutes", -300),
    ("kind", "audio"),
    ("duration", 9999.0),
])
def test_every_logged_fact_of_a_file_the_manifest_tells_is_checked(made, field, value):
    """The local recording time (what a court reads as 录制时间), the offset, the kind and the duration
    are in the footage row's logged state as much as the UTC time: a manifest changing them fails."""
    root, vkey = made
    _edit(root, lambda d: d["files"][0].__setitem__(field, value))
    assert "file.state" in _failed(root, vkey)


@pytest.mark.parametrize("name", ["A.MP4", "说明.txt", "extra"])
def test_a_file_beside_the_package_files_fails(made, name):
    """The package's layout is closed: a video (or a note, or a folder) slipped in beside files/ is
    something a receiver may open as evidence though nothing vouches for it."""
    root, vkey = made
    if name == "extra":
        (root / name).mkdir()
        (root / name / "B.MP4").write_bytes(b"not evidence")
    else:
        (root / name).write_bytes(b"not evidence")
    assert "file.extra" in _failed(root, vkey)
