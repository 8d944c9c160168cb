"""Scenes of the publicity page, portal, bad-input and command tests (issue 20), each built once per
test run through the services (liuhen.testing.demo.scene_snapshot) and copied into each test that
starts from it: a decision issued, its publication drafted (with or without the people's details in
its facts), published; the portal's two decisions; the command tests' published fine. Each builder
starts from a World of its own and returns a `Scene`: the world and what was made in it. A test module
names the scenes it starts from with `scene_fixture`."""
from __future__ import annotations

from dataclasses import dataclass



@dataclass
class Scene:
    """What a builder made (model instances, pickled with the snapshot: each restore gets its own)."""

    world: object
    case: object = None
    doc: object = None  # the issued 决定书 (IssuedDocument)
    entry: object = None  # the publicity Entry
    version: object = None  # its first Version (a draft, or the published one)
    decisions: tuple = ()  # (case, entry, version) of each decision published, when there are several


def issued_scene(where=None) -> Scene:
    """A world and one case whose 决定书 (a fine) is issued: 待公示."""
    from liuhen.testing.publicity import issued_decision
    from liuhen.testing.world import World

    world = World()
    case, doc = issued_decision(world)
    return Scene(world, case, doc)


def _drafted(**content) -> Scene:
    from liuhen.publicity import services
    from liuhen.testing.publicity import issued_decision
    from liuhen.testing.world import World

    world = World()
    case, doc = issued_decision(world, **content)
    version = services.draft_decision(world.officer, case)
    return Scene(world, case, doc, version.entry, version)


def drafted_scene(where=None) -> Scene:
    """The issued decision drafted by the officer: 待审核."""
    return _drafted()


def drafted_with_people_scene(where=None) -> Scene:
    """As drafted_scene, the decision's facts naming the party's ID number, address, phone and a witness
    (testing.publicity.FACTS_WITH_PEOPLE)."""
    from liuhen.testing.publicity import FACTS_WITH_PEOPLE

    return _drafted(facts=FACTS_WITH_PEOPLE)


def published_scene(where=None) -> Scene:
    """testing.publicity.published_decision on a world of its own: drafted, reviewed, approved — online."""
    from liuhen.testing.publicity import published_decision
    from liuhen.testing.world import World

    world = World()
    case, entry, version = published_decision(world)
    return Scene(world, case, version.document, entry, version)


def criticised_decision(world):
    """(case, entry, version): a 通报批评 of 王五 and 本溪某建材有限公司 (an organisation) on a case of its own,
    notified, decided and published."""
    from liuhen.cases import services as cases
    from liuhen.testing.cases import CREDIT_CODE, add_person, complete, notify, to_investigation
    from liuhen.testing.publicity import published_decision

    case = to_investigation(world, world.open_case(title="非法采砂"))
    add_person(world, case, kind="organisation", name="本溪某建材有限公司", id_number=CREDIT_CODE,
               legal_representative="赵某", address="本溪市明山区2号")
    complete(world, case, "rights_notice")
    complete(world, case, "inquiry_record")
    case = cases.advance(world.officer, case, note="调查终结")
    criticism = {"penalty_kind": "通报批评", "fine_amount": None}
    notify(world, case, criticism)  # 行政处罚法 44: the party told first
    return published_decision(world, case, **criticism)


def two_decisions_scene(where=None) -> Scene:
    """The portal's two decisions: published_decision(world) on 王五, then criticised_decision(world)."""
    from liuhen.testing.publicity import published_decision
    from liuhen.testing.world import World

    world = World()
    first = published_decision(world)
    return Scene(world, decisions=(first, criticised_decision(world)))


def cli_published_scene(where=None) -> Scene:
    """The command tests' publication: a fine of "5000" (as typed on a form) notified, decided and published."""
    from liuhen.testing.cases import notify, to_decision
    from liuhen.testing.publicity import published_decision
    from liuhen.testing.world import World

    world = World()
    case = to_decision(world)
    notify(world, case, {"penalty_kind": "罚款", "fine_amount": "5000"})
    case, entry, version = published_decision(world, case, penalty_kind="罚款", fine_amount="5000")
    return Scene(world, case, version.document, entry, version)


def restore(name: str, home, blob_dir, tmp_path_factory, django_db_blocker) -> Scene:
    """The run's snapshot of the builder `name` of this module, restored into the current test's
    database with its keys in `home` (a fresh one) and its files in `blob_dir`."""
    from liuhen.testing.snapshots import restored

    return restored(f"{__name__}:{name}", home, blob_dir, tmp_path_factory, django_db_blocker)


def scene_fixture(name: str, builder: str):
    """A test fixture `name` (assigned to that name in the test module): the scene of `builder` (of this
    module) restored for the test, its keys in a fresh LIUHEN_HOME."""
    from liuhen.testing import snapshots

    return snapshots.scene_fixture(name, f"{__name__}:{builder}")
