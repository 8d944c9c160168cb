"""Test helpers for records (shared by test modules of several apps)."""


def approver(world, record):
    """The 负责人 of `world` who may approve `record`: the agency head where its rule asks for the
    机关负责人 (a general-procedure penalty's 负责人审批, records.rules.OVERRIDES), else the unit head."""
    from liuhen.records.rules import LEADER_AGENCY
    from liuhen.records.selectors import record_with_state

    return world.agency_head if record_with_state(record.pk).rule.leader == LEADER_AGENCY else world.unit_head


def signed_event_detail(detail: dict) -> dict:
    """A sign/refuse event's detail without what every such event carries since issue 12 (scheme,
    decision, opinion hash): for tests written against the ids-and-digest-only detail."""
    return {k: v for k, v in detail.items() if k not in ("scheme", "decision", "opinion_sha256", "confirmed_at")}
