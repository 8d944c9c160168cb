"""公示告知 — the party is told at service that the decision will be published (行政处罚法 48; 市场监管
公示规定: 告知当事人): a row printed on the 决定书 with the profile's sentence (PublicitySpec.notice), only
when the case's decision is to be published (clocks.excluded_reason is "")."""
from liuhen.profiles.selectors import profile_for_case
from liuhen.records.selectors import record_with_state

from .clocks import DECISION, excluded_reason

LABEL = "公示告知"


def decision_rows(record) -> list[tuple[str, str]]:
    """The 决定书's 公示告知 row, judged on the content being printed (its penalty); none when the
    decision will not be published (a warning where the profile does not publish it, a minor, an
    exemption) or the profile has no sentence."""
    case = record.case
    spec = getattr(profile_for_case(case), "publicity", None)
    if spec is None or not spec.notice:
        return []
    content = record_with_state(record.pk).latest.content or {}
    if excluded_reason(case, content=content):
        return []
    return [(LABEL, spec.notice)]


def register() -> None:
    from liuhen.documents.render import register_document_extra

    register_document_extra(DECISION, decision_rows)
