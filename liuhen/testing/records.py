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
    return {k: v for k, v in detail.items()
            if k not in ("scheme", "decision", "opinion_sha256", "confirmed_at", "signer_role")}


from liuhen.testing.data import INSPECTION  # noqa: E402,F401 — a valid 现场检查笔录
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
    from liuhen.testing.avrules import cover_acts

    cover_acts(world, case)  # the inspection's AV: an approved 不适宜音像记录说明 (AS 8; the AV gate)
    return cases.advance(world.officer, case)


# ---- the records app's tamper scene (liuhen/records/tests/test_ledger_checks.py, test_forged_leaves) ----

APPROVAL = {"reason": "群众举报未经许可取水", "party": "王某", "handler_opinion": "建议立案调查"}
SCENE_PARTY, WITNESS, REFUSAL_REASON = "王某", "李某", "当事人称不认可检查结果"



def event(entry) -> dict:
    import json

    return json.loads(bytes(entry.leaf).decode("utf-8"))



def _party_id():
    from liuhen.cases.validators import id_check_char

    first17 = "11010519491231002"
    return first17 + id_check_char(first17)


class Scene:
    """A small world of the records app built through the services: a start approval signed by an
    officer and a leader; an inspection record with two versions, an attachment, two officers'
    signatures, a witness's signature and a party's refusal to sign (not yet confirmed); a voided
    record. What `liuhen verify`'s records checks are tried on."""

    def __init__(self, world):
        import io

        from liuhen.cases import services as cases
        from liuhen.records import services
        from liuhen.records.models import RecordVersion, SignerRole

        self.world = world
        self.case = world.open_case()
        cases.add_party(world.officer, self.case, kind="person", name=SCENE_PARTY, id_number=_party_id())
        self.approval = services.create_record(world.officer, self.case, rtype("start_approval"), dict(APPROVAL))
        services.sign_as_officer(world.officer, self.approval)
        self.leader_sig = services.sign_as_leader(world.unit_head, self.approval)
        self.case = cases.advance(world.officer, self.case, "审批完成")
        self.record = services.create_record(world.officer, self.case, rtype("inspection_record"), dict(INSPECTION))
        services.revise_record(world.officer2, self.record, {**INSPECTION, "present": "村委会主任、村民李某"},
                               "补记在场人员")
        self.attachment = services.attach(world.officer, self.record, io.BytesIO(b"JPEG " * 50), "现场照片.jpg",
                                          "image/jpeg")
        self.officer_sig = services.sign_as_officer(world.officer, self.record)
        self.officer2_sig = services.sign_as_officer(world.officer2, self.record)
        self.witness_sig = services.record_other_signature(world.officer2, self.record, role=SignerRole.WITNESS,
                                                           signer_name=WITNESS)
        self.refusal = services.record_other_signature(world.officer, self.record, role=SignerRole.PARTY,
                                                       signer_name=SCENE_PARTY, refused=True, reason=REFUSAL_REASON)
        self.spare = services.create_record(world.officer, self.case, rtype("inspection_record"), dict(INSPECTION))
        services.void_record(world.officer, self.spare, "重复制作")
        self.v1 = RecordVersion.objects.get(record=self.record, number=1)
        self.v2 = RecordVersion.objects.get(record=self.record, number=2)

    def entry(self, action, record=None, **detail):
        from liuhen.ledger.models import Entry

        """The one entry of `action` about `record` (default: the inspection) whose detail has `detail`."""
        record = record or self.record
        found = [e for e in Entry.objects.filter(action=action, object_type="record", object_id=str(record.pk))
                 if detail.items() <= event(e)["detail"].items()]
        assert len(found) == 1, (action, detail, len(found))
        return found[0]

    def sign_entry(self, sig):
        return self.entry("record.refuse" if sig.outcome == "refused" else "record.sign", sig.record,
                          digest=sig.digest)


# ---- rows as earlier versions of Liuhen wrote them (upgrade tests of the issue 12 review) -----------

def legacy_record(world, case, code, content, *, officer=None):
    """A record written the way services did before issue 12: no pinned version or rule, a
    `record.create` event without times."""
    from django.db import transaction

    from liuhen.ledger import services as ledger
    from liuhen.ledger.core.canonical import content_sha256
    from liuhen.records.models import Record, RecordVersion

    officer = officer or world.officer
    with transaction.atomic():
        record = Record.objects.create(case=case, record_type=rtype(code), stage=case.stage,
                                       serial=case.records.count() + 1, created_by=officer)
        RecordVersion.objects.create(record=record, number=1, content=content,
                                     content_sha256=content_sha256(content), author=officer)
        ledger.append("record.create", actor=officer, object_type="record", object_id=record.pk,
                      object_version=1, content_sha256=content_sha256(content),
                      detail={"case": case.pk, "type": code, "stage": record.stage, "serial": record.serial,
                              "created_by": officer.pk})
    return record


def legacy_capacity_signature(record, signer, role, *, decision="同意", opinion=""):
    """A signature in a capacity as issue 12 wrote it before its review: no role stored, digest
    scheme 3, the opinion's plain hash in the event."""
    from django.db import transaction
    from django.utils import timezone

    from liuhen.ledger import services as ledger
    from liuhen.ledger.core.canonical import content_sha256
    from liuhen.records.ledger_checks import signature_digest
    from liuhen.records.models import RecordVersion, Signature

    with transaction.atomic():
        version = RecordVersion.objects.filter(record=record).order_by("-number").first()
        sig = Signature(record=record, version=version, role=role, signer=signer, signer_name=signer.display_name,
                        outcome="signed", recorded_by=signer, signed_at=timezone.now(), decision=decision,
                        opinion=opinion)
        sig.digest = signature_digest(sig, record.attachments.values_list("blob_id", flat=True), scheme=3)
        sig.save()
        ledger.append("record.sign", actor=signer, object_type="record", object_id=record.pk,
                      object_version=version.number, content_sha256=version.content_sha256,
                      detail={"signature": sig.pk, "role": role, "digest": sig.digest, "scheme": 3,
                              "decision": decision, "opinion_sha256": content_sha256({"opinion": opinion})})
    return sig


def legacy_attachment(record, officer, name: str, data: bytes):
    """An attachment as issue 12 logged it: the file name in clear in the event."""
    import io

    from django.db import transaction

    from liuhen.ledger import services as ledger
    from liuhen.ledger.subjects import plain
    from liuhen.media import store
    from liuhen.records.models import Attachment, RecordVersion

    with transaction.atomic():
        blob = store.put(io.BytesIO(data))
        att = Attachment.objects.create(record=record, blob=blob, filename=name, content_type="image/jpeg",
                                        uploaded_by=officer)
        att = Attachment.objects.get(pk=att.pk)
        version = RecordVersion.objects.filter(record=record).order_by("-number").first()
        ledger.append("record.attach", actor=officer, object_type="record", object_id=record.pk,
                      object_version=version.number, content_sha256=version.content_sha256, blobs=[blob.sha256],
                      detail={"attachment": att.pk, "filename": name, "content_type": att.content_type,
                              "size": blob.size, "at": plain(att.uploaded_at)})
    return att


def legacy_supplement(record, officer, note: str, name: str, data: bytes):
    """A 补充材料 as issue 12 logged it: the note's plain hash, the file names in clear."""
    import io

    from django.db import transaction

    from liuhen.ledger import services as ledger
    from liuhen.ledger.core.canonical import content_sha256
    from liuhen.ledger.subjects import plain
    from liuhen.media import store
    from liuhen.records.models import Supplement, SupplementFile

    with transaction.atomic():
        sup = Supplement.objects.create(record=record, note=note, added_by=officer)
        sup = Supplement.objects.get(pk=sup.pk)
        blob = store.put(io.BytesIO(data))
        sf = SupplementFile.objects.create(supplement=sup, blob=blob, filename=name, content_type="image/jpeg")
        files = [{"file": sf.pk, "sha256": blob.sha256, "filename": name, "content_type": "image/jpeg",
                  "size": blob.size}]
        ledger.append("record.supplement", actor=officer, object_type="record", object_id=record.pk,
                      blobs=[blob.sha256], detail={"supplement": sup.pk, "files": files,
                                                   "note_sha256": content_sha256({"note": note}),
                                                   "at": plain(sup.added_at)})
    return sup


def records_scene(where=None):
    """`Scene` on a world of its own, integrated and verifying clean: what the records app's ledger
    tests start from (built once per run, liuhen.testing.demo.scene_snapshot)."""
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log
    from liuhen.testing.world import World

    scene = Scene(World())
    integrate_all()  # verify only reads: the scene's events get their leaf indexes from the integrator
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return scene
