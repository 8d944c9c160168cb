"""Scenes of the publicity workflow tests (issue 20), built once per test run and copied into each test
that reads them (liuhen.testing.demo.scene_snapshot): a world with cases whose 决定书 is issued — the
1-4 s of services every test of test_services, test_refusals, test_clocks, test_export and
test_statistics spent before its first assertion. Each builder starts from a `World()` of its own and
builds what its tests share, the real way (liuhen.testing.publicity); a test that needs a variant
(another penalty, a witness, a profile loaded first) still builds it itself."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from liuhen.testing.publicity import FACTS_WITH_PEOPLE

BUILDERS = "liuhen.testing.publicity_workflow_scene"


@dataclass
class Scene:
    """What a builder made; the fields a builder did not make stay None."""

    world: object
    issued: tuple | None = None  # (case, IssuedDocument): a fine of 5000 yuan issued, nothing drafted
    issued_with_people: tuple | None = None  # (case, IssuedDocument): the same, FACTS_WITH_PEOPLE its facts
    at_decision: object | None = None  # a case at its decision stage, no 决定书 made
    drafted: object | None = None  # Version: the officer's first draft of an issued fine, not reviewed
    published: tuple | None = None  # (case, entry, version): a fine drafted, reviewed, approved: online
    fined: tuple | None = None  # (case, entry, version): a fine with confiscation told, decided, published
    warned: tuple | None = None  # (case, IssuedDocument): a warning told beforehand (行政处罚告知书), issued
    penalised_fine: tuple | None = None  # (case, IssuedDocument): a fine of 5000 yuan told beforehand, issued


def penalised(world, **penalty):
    """(case, IssuedDocument): a decision of `penalty` (penalty_kind, fine_amount), told beforehand
    (行政处罚法 44: the 行政处罚告知书)."""
    from liuhen.testing.cases import notify, to_decision
    from liuhen.testing.publicity import issued_decision

    case = to_decision(world)
    notify(world, case, penalty)
    return issued_decision(world, case, **penalty)


# test_export's fine (a 双公示 row): told with this penalty, decided with the party's details in its facts
EXPORT_PENALTY = dict(penalty_kind="罚款", fine_amount="5000", confiscation_amount="12345")
EXPORT_FINE = dict(EXPORT_PENALTY, facts=FACTS_WITH_PEOPLE)


def fined(world, case=None):
    """(case, entry, version): a fine told (行政处罚告知书, 行政处罚法 44), decided, published (test_export)."""
    from liuhen.testing.cases import notify, to_decision
    from liuhen.testing.publicity import published_decision

    case = to_decision(world, case)
    notify(world, case, EXPORT_PENALTY)
    return published_decision(world, case, **EXPORT_FINE)


def known_world(world):
    """Six cases opened this year: A fined 5000 元 and 300 元 confiscated, published, then withdrawn;
    B warned, its 决定书 revoked; F a hearing held, not yet decided; C an inspection, D a simplified
    procedure — both only opened; E opened at the last minute of last year (not this year's)."""
    from django.utils import timezone

    from liuhen.cases.models import Case
    from liuhen.documents.services import revoke_document
    from liuhen.publicity import services
    from liuhen.testing.cases import complete, notify, to_decision
    from liuhen.testing.publicity import issued_decision, published_decision

    a = to_decision(world)
    notify(world, a, {"penalty_kind": "罚款", "fine_amount": "5000", "confiscation_amount": "300"})
    _, entry, _ = published_decision(world, a, penalty_kind="罚款", fine_amount="5000", confiscation_amount="300")
    services.withdraw(world.agency_head, entry, "行政复议决定撤销")
    b = to_decision(world)
    notify(world, b, {"penalty_kind": "警告", "fine_amount": "", "confiscation_amount": ""})
    _, doc = issued_decision(world, b, penalty_kind="警告", fine_amount="", confiscation_amount="")
    revoke_document(world.agency_head, doc, "认定事实不清，决定撤销")
    complete(world, to_decision(world), "hearing_transcript")
    world.open_case(kind="inspection")
    world.open_case(procedure="simplified")
    e = world.open_case()
    last_minute = timezone.make_aware(datetime.datetime(timezone.localdate().year - 1, 12, 31, 23, 59))
    Case.objects.filter(pk=e.pk).update(created_at=last_minute)  # Case is not append-only: its opening date


# ---- the builders (scene_snapshot calls them with a directory of their own, unused) -----------------

def workflow_scene(where=None) -> Scene:
    """test_services and test_refusals: a fine issued; one issued with the party's details in its facts;
    a case at its decision stage; a fine drafted; a fine published — five cases of one world."""
    from liuhen.publicity import services
    from liuhen.testing.cases import to_decision
    from liuhen.testing.publicity import issued_decision, published_decision
    from liuhen.testing.world import World

    world = World()
    scene = Scene(world, issued=issued_decision(world),
                  issued_with_people=issued_decision(world, facts=FACTS_WITH_PEOPLE), at_decision=to_decision(world))
    scene.drafted = services.draft_decision(world.officer, issued_decision(world)[0])
    scene.published = published_decision(world)
    return scene


def clocks_scene(where=None) -> Scene:
    """test_clocks: a fine issued, a fine published, a warning and a fine told beforehand and issued."""
    from liuhen.testing.publicity import issued_decision, published_decision
    from liuhen.testing.world import World

    world = World()
    return Scene(world, issued=issued_decision(world), published=published_decision(world),
                 warned=penalised(world, penalty_kind="警告"),
                 penalised_fine=penalised(world, penalty_kind="罚款", fine_amount=5000))


def export_scene(where=None) -> Scene:
    """test_export: one fine published (`fined`), the only entry of its world."""
    from liuhen.testing.world import World

    world = World()
    return Scene(world, fined=fined(world))


def statistics_scene(where=None) -> Scene:
    """test_statistics: the six cases of `known_world`, whose figures are known."""
    from liuhen.testing.world import World

    world = World()
    known_world(world)
    return Scene(world)


# ---- in a test -------------------------------------------------------------------------------------

def restored(builder: str, home, blob_dir, tmp_path_factory, django_db_blocker) -> Scene:
    """The run's build of `builder` (a function of this module) in the current test's database, its keys
    in `home` (the test's LIUHEN_HOME) and files in `blob_dir`: a Scene of this test's own."""
    from liuhen.testing import snapshots

    return snapshots.restored(f"{BUILDERS}:{builder}", home, blob_dir, tmp_path_factory, django_db_blocker)


def world_of(request):
    """For a module's `world` fixture: the scene's world in a test that reads the module's `scene`
    (directly or through another fixture), a world of its own in the others (their counts and numbers
    start from nothing)."""
    from liuhen.testing.world import World

    if "scene" in request.fixturenames:
        return request.getfixturevalue("scene").world
    return World()


def scene_fixture(name: str, builder: str):
    """A test module's fixture `name`: the scene of `builder` (of this module) restored for each test."""
    from liuhen.testing import snapshots

    return snapshots.scene_fixture(name, f"{BUILDERS}:{builder}")
