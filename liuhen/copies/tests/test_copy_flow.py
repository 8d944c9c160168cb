"""The path of a copy for a court (LW-D 13, LW-D 15): requested by an officer of the case, approved
by the 机关负责人, made by the 档案管理员, handed over — each an append-only row with its ledger
event — and every refusal on the way recorded."""
import pytest
from django.utils import timezone
from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.copies import services
from liuhen.copies import vocabulary as v
from liuhen.copies.models import CopyApproval, CopyHandover, CopyPackage, CopyRequest
from liuhen.copies.package import package_dir
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.testing.copies import approved, case_with_footage, check_offline, requested, vkey_file
from liuhen.testing.playback import only_video

pytestmark = pytest.mark.usefixtures("fresh_home")


def refusals_of(actor, act):
    return [event_of(e) for e in Entry.objects.filter(action=v.DENIED, actor_id=actor.pk)
            if event_of(e)["detail"]["act"] == act]


def test_request_approve_make_handover_and_verify(world, tmp_path):
    c = case_with_footage(world, tmp_path)
    row = requested(c)
    assert row.item_ids == sorted(i.pk for i in c.items)
    ev = event_of(Entry.objects.get(action=v.REQUEST, object_id=str(row.pk)))
    assert ev["blobs"] == sorted(i.blob_id for i in c.items) and ev["detail"]["case"] == c.case.pk
    assert ev["content_sha256"] == row.ledger_digest()

    approval = services.decide(world.agency_head, row, True, "同意。")
    assert approval.approved and Entry.objects.filter(action=v.APPROVE, object_id=str(approval.pk)).exists()

    package = services.make_package(world.archivist, row)
    root = package_dir(package)
    assert root.is_dir() and (root / "manifest.json").is_file() and len(list((root / "files").iterdir())) == 2
    assert not [p for p in root.parent.iterdir() if p.name.startswith(".")]  # no staging directory left
    make = event_of(Entry.objects.get(action=v.MAKE, object_id=str(package.pk)))
    assert make["detail"]["manifest_sha256"] == package.manifest_sha256

    handover = services.record_handover(world.archivist, package, receiver_person="王法官", receiver_org="测试市平山区人民法院",
                                        handed_on=timezone.localdate().isoformat(), method="in_person")
    assert handover.package_sha256 == package.manifest_sha256
    ev = event_of(Entry.objects.get(action=v.HANDOVER, object_id=str(handover.pk)))
    assert "王法官" not in str(ev)  # a person's name stays out of the ledger

    run = check_offline(root, vkey_file(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]


def test_making_without_approval_is_refused_and_recorded(world, tmp_path):
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = requested(c)
    with pytest.raises(ValidationError) as e:
        services.make_package(world.archivist, row)
    assert e.value.error_list[0].code == "not_approved"
    assert refusals_of(world.archivist, "make")[0]["detail"]["codes"] == ["not_approved"]
    assert not CopyPackage.objects.exists() and not any((services_dir(world)).glob("*"))
    # Declined: refused too.
    services.decide(world.agency_head, row, False, "案件尚未进入诉讼程序。")
    with pytest.raises(ValidationError) as e:
        services.make_package(world.archivist, row)
    assert e.value.error_list[0].code == "declined"


def services_dir(world):
    from liuhen.copies.package import copies_dir

    d = copies_dir()
    d.mkdir(parents=True, exist_ok=True)
    return d


def test_wrong_roles_are_refused_and_recorded(world, tmp_path):
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    # Not an officer of the case, nor its unit head: no request.
    with pytest.raises(PermissionDenied):
        services.request_copy(world.outsider, c.case, c.items, receiver_kind="court", receiver_name="某法院",
                              purpose="举证")
    assert refusals_of(world.outsider, "request")
    # The unit head of the case's unit may ask.
    row = services.request_copy(world.unit_head, c.case, c.items, receiver_kind="procuratorate",
                                receiver_name="测试市人民检察院", purpose="审查起诉")
    # Only the approving role decides; nobody decides their own request.
    for who in (world.officer, world.reviewer, world.archivist):
        with pytest.raises(PermissionDenied):
            services.decide(who, row, True)
        assert refusals_of(who, "approve")
    services.decide(world.agency_head, row, True)
    with pytest.raises(ValidationError):
        services.decide(world.agency_head, row, False, "再议")  # once only
    # Only the office makes the package: not the officer, not the leader.
    for who in (world.officer, world.agency_head):
        with pytest.raises(PermissionDenied):
            services.make_package(who, row)
        assert refusals_of(who, "make")
    assert not CopyPackage.objects.exists()


def test_an_item_not_linked_to_the_case_is_refused(world, tmp_path):
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    stray = only_video(world, tmp_path, "STRAY.MP4", seconds=3.5)  # in the holding area, linked to nothing
    with pytest.raises(ValidationError) as e:
        requested(c, items=[*c.items, stray])
    assert e.value.error_list[0].code == "not_linked"
    assert refusals_of(world.officer, "request")[0]["detail"]["codes"] == ["not_linked"]
    other = world.open_case(title="另一案件")
    from liuhen.footage import services as footage

    footage.link(world.officer, stray, other, other.stage)
    with pytest.raises(ValidationError):
        requested(c, items=[stray])  # linked, but to another case
    with pytest.raises(ValidationError) as e:
        requested(c, items=[])
    assert e.value.error_list[0].code == "no_items"
    assert not CopyRequest.objects.exists()


def test_an_item_unlinked_after_the_request_is_not_copied(world, tmp_path):
    from liuhen.footage import services as footage

    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = approved(c)
    footage.unlink(world.officer, c.links[0], "关联错了案件")
    with pytest.raises(ValidationError) as e:
        services.make_package(world.archivist, row)
    assert e.value.error_list[0].code == "unlinked"
    assert not CopyPackage.objects.exists()


def test_handover_refusals(world, tmp_path):
    import datetime

    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = approved(c)
    package = services.make_package(world.archivist, row)
    args = dict(receiver_person="李检察官", receiver_org="测试市人民检察院", method="post")
    with pytest.raises(ValidationError) as e:
        services.record_handover(world.archivist, package, handed_on=timezone.localdate() + datetime.timedelta(days=3),
                                 **args)
    assert e.value.error_list[0].code == "future"
    with pytest.raises(PermissionDenied):
        services.record_handover(world.officer, package, handed_on=timezone.localdate(), **args)
    with pytest.raises(ValidationError):
        services.record_handover(world.archivist, package, handed_on=timezone.localdate(), **dict(args, method="fax"))
    services.record_handover(world.archivist, package, handed_on=timezone.localdate(), **args)
    with pytest.raises(ValidationError) as e:
        services.record_handover(world.archivist, package, handed_on=timezone.localdate(), **args)
    assert e.value.error_list[0].code == "already_handed_over"
    assert CopyHandover.objects.count() == 1
    with pytest.raises(ValidationError) as e:
        services.make_package(world.archivist, row)
    assert e.value.error_list[0].code == "already_made"
    assert CopyApproval.objects.count() == 1
