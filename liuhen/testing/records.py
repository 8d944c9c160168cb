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


INSPECTION = {"time": "2026-03-02T09:30", "place": "某村三号取水口", "certificates_shown": True,
              "present": "村委会主任", "findings": "现场发现一台水泵正在取水，未见取水许可证。"}
PARTY = "王建国"  # the party World.to_investigation registers


def rtype(code):
    from liuhen.records.models import RecordType

    return RecordType.objects.get(code=code)


def investigating(world, **kw):
    """A case of `world` in 调查取证 (with its party and approved 程序启动审批表)."""
    from liuhen.cases import services as cases

    case = world.open_case(**kw)
    if not case.parties.exists():
        cases.add_party(world.officer, case, kind="person", name=PARTY, id_number="11010519491231002X")
    return world.to_investigation(case)


def signed_inspection(world, case=None, *, files=()):
    """A 现场检查笔录 signed by both officers and the party: complete, locked."""
    import io

    from liuhen.records import services
    from liuhen.records.models import SignerRole

    case = case or investigating(world)
    record = services.create_record(world.officer, case, rtype("inspection_record"), dict(INSPECTION))
    for name, data in files:
        services.attach(world.officer, record, io.BytesIO(data), name, "image/jpeg")
    services.sign_as_officer(world.officer, record)
    services.sign_as_officer(world.officer2, record)
    services.record_other_signature(world.officer, record, role=SignerRole.PARTY, signer_name=PARTY)
    return record


def at_decision(world, **kw):
    """A case of `world` in 审查决定: its investigation done the real way."""
    from liuhen.cases import services as cases
    from liuhen.records import services
    from liuhen.records.models import SignerRole

    case = investigating(world, **kw)
    notice = services.create_record(world.officer, case, rtype("rights_notice"),
                                    {"rights": "陈述、申辩", "time": "2026-03-02T09:00", "place": "某村"})
    for officer in (world.officer, world.officer2):
        services.sign_as_officer(officer, notice)
    services.record_other_signature(world.officer, notice, role=SignerRole.PARTY, signer_name=PARTY)
    signed_inspection(world, case)
    return cases.advance(world.officer, case)
