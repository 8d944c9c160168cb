"""The party is told at service that the decision will be published (issue 20 §2; 行政处罚法 48): the 决定书
prints the profile's sentence under 公示告知 — only when the decision is to be published."""
import dataclasses

from liuhen.documents.render import document_for, render_html
from liuhen.publicity import notice
from liuhen.testing.cases import add_person, notify, to_decision
from liuhen.testing.documents import decision
from liuhen.testing.findings import profile_with

SENTENCE = "本决定将依据《中华人民共和国行政处罚法》第四十八条的规定在本机关行政执法公示平台向社会公开。"


def _html(record) -> str:
    return render_html([document_for(record)])


def _decision(world, **penalty):
    case = to_decision(world)
    if penalty:
        notify(world, case, penalty)  # 行政处罚法 44: told before the decision
    return decision(world, case, **penalty)


def test_a_published_decision_tells_the_party(world):
    record = _decision(world, penalty_kind="罚款", fine_amount=5000)
    assert profile_with(record.case).publicity.notice == SENTENCE
    html = _html(record)
    assert f"{notice.LABEL}：" in html and SENTENCE in html
    assert notice.decision_rows(record) == [(notice.LABEL, SENTENCE)]


def test_a_warning_the_profile_does_not_publish_says_nothing(world):
    record = _decision(world, penalty_kind="警告")
    html = _html(record)
    assert notice.LABEL not in html and SENTENCE not in html


def test_a_minor_party_s_decision_says_nothing(world):
    record = _decision(world, penalty_kind="罚款", fine_amount=200)
    add_person(world, record.case, name="赵小六", id_number="21050220120307123X")  # fourteen
    assert SENTENCE not in _html(record)


def test_an_exemption_silences_the_notice(world):
    from liuhen.publicity import services

    record = _decision(world, penalty_kind="罚款", fine_amount=200)
    services.exempt(world.agency_head, record.case, "state_secret", "涉及国家秘密")
    assert notice.decision_rows(record) == []


def test_the_profile_s_own_sentence(world, monkeypatch):
    record = _decision(world)
    profile = profile_with(record.case)
    own = dataclasses.replace(profile, publicity=dataclasses.replace(profile.publicity, notice="本决定将在某某网公示。"))
    monkeypatch.setattr(notice, "profile_for_case", lambda case: own)
    assert notice.decision_rows(record) == [(notice.LABEL, "本决定将在某某网公示。")]
    monkeypatch.setattr(notice, "profile_for_case", lambda case: dataclasses.replace(profile, publicity=None))
    assert notice.decision_rows(record) == []


def test_other_documents_say_nothing(world):
    from liuhen.testing.cases import complete, to_investigation

    record = complete(world, to_investigation(world), "rights_notice")
    assert SENTENCE not in _html(record)
