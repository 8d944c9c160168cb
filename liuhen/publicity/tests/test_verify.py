"""`liuhen verify` holds each decision's publication to the text as served: its source still hashes to the
SHA-256 logged with the version (publicity.E020), and the published body is that source minus exactly the
listed redactions (publicity.E019). Rows are changed by SQL, behind the services' back, as the other apps'
tamper tests do."""
import hashlib

import pytest

from liuhen.common import crypto
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.publicity import ledger_checks, redact
from liuhen.publicity import vocabulary as v
from liuhen.publicity.models import Version
from liuhen.testing.publicity import published_decision, published_content
from liuhen.testing.tampering import drop_append_only, sql

pytestmark = pytest.mark.usefixtures("fresh_home")
TABLE = Version._meta.db_table


@pytest.fixture
def online(verified_world):
    """A decision published (its version with a source, redactions and body) and a 事前公开 entry (no source)."""
    world = verified_world
    _case, _entry, version = published_decision(world)
    published_content(world)
    integrate_all()
    report = verify_log()
    # Only the versions are this file's subject: services._new_entry does not log the entry it creates yet
    # (publicity.E002 on every entry, reported to the integrator).
    assert not [f for f in report.findings if not f.object.startswith("publicity_entry:")], \
        [str(f) for f in report.findings]
    assert version.redactions and version.source != version.body  # something was removed
    return world, version


def _codes(version) -> set:
    return {f.code for f in verify_log().findings if f.object == f"publicity_version:{version.pk}"}


def test_a_source_altered_is_E020(online):
    _world, version = online
    drop_append_only(TABLE)
    forged = version.source.replace("建筑垃圾", "生活垃圾")
    sql(f"UPDATE {TABLE} SET source = %s WHERE id = %s", [crypto.encrypt(forged), version.pk])
    assert _codes(version) == {v.SOURCE_ALTERED}  # the source is not in the logged state: only E020 sees it


def test_a_source_that_no_longer_decrypts_is_E020(online):
    _world, version = online
    drop_append_only(TABLE)
    sql(f"UPDATE {TABLE} SET source = %s WHERE id = %s", ["not a ciphertext", version.pk])
    found = [f for f in verify_log().findings if f.object == f"publicity_version:{version.pk}"]
    assert [f.code for f in found] == [v.SOURCE_ALTERED] and "无法读取" in found[0].message


def test_a_published_body_altered_is_E019(online):
    _world, version = online
    drop_append_only(TABLE)
    leaked = version.source  # the text as served, names and numbers and all
    sql(f"UPDATE {TABLE} SET body = %s WHERE id = %s", [leaked, version.pk])
    assert _codes(version) == {v.STATE_CODES["publicity_version"]["altered"], v.BODY_NOT_SOURCE}


def test_a_redaction_taken_out_of_the_map_is_E019(online):
    _world, version = online
    drop_append_only(TABLE)
    import json

    sql(f"UPDATE {TABLE} SET redactions = %s WHERE id = %s", [json.dumps(version.redactions[1:]), version.pk])
    assert v.BODY_NOT_SOURCE in _codes(version)


def _state(version, **changes) -> dict:
    state = {"source": version.source, "source_sha256": version.source_sha256, "body": version.body,
             "redactions": version.redactions}
    return {**state, **changes}


def test_text_problem_on_consistent_and_inconsistent_texts(online):
    _world, version = online
    assert ledger_checks.text_problem(_state(version)) is None
    assert ledger_checks.text_problem(_state(version, source="", source_sha256="")) is None  # no decision
    src = "当事人王五"
    assert ledger_checks.text_problem({"source": src, "source_sha256": hashlib.sha256(src.encode()).hexdigest(),
                                       "body": src, "redactions": []}) is None
    assert ledger_checks.text_problem(_state(version, source_sha256="0" * 64))[0] == v.SOURCE_ALTERED
    assert ledger_checks.text_problem(_state(version, source=""))[0] == v.SOURCE_ALTERED  # emptied
    assert ledger_checks.text_problem(_state(version, body=version.body + "。"))[0] == v.BODY_NOT_SOURCE
    code, message = ledger_checks.text_problem(_state(version, redactions=[{"start": "x"}]))
    assert code == v.BODY_NOT_SOURCE and "格式不正确" in message
    assert ledger_checks.text_problem(_state(version, redactions="not a list"))[0] == v.BODY_NOT_SOURCE
    # a span whose replacement is not its category's mark: the body may match, the map is still wrong
    wrong = [dict(version.redactions[0], replacement="某")] + version.redactions[1:]
    body = redact.apply(version.source, [redact.Span.from_dict(d) for d in wrong])
    code, message = ledger_checks.text_problem(_state(version, redactions=wrong, body=body))
    assert code == v.BODY_NOT_SOURCE and "替换文字应为" in message
