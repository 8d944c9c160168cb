"""Scenes of the 执行 and 强制执行 tests, built once per run (liuhen.testing.demo.scene_snapshot) and
copied into each test: fined cases walked through the services to a 决定书 served (or not yet), the
催告书 issued and served, the 强制执行决定 approved — the prefix each test used to build again before
testing its one rule (a test module's fixture restores them with liuhen.testing.snapshots.restored)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Enforcement:
    """One world and its fined cases (5000 元, liuhen.testing.enforcement.served_case), each a
    prefix some enforcement test starts from:
    unserved — the 决定书 not served; within — served 3 days ago (not yet overdue);
    served40 / served (200 days) / served100r / served300r — served that long ago, the last two
    with a 催告书 (default: issued 40 days ago, 10 days to perform) issued and served;
    reminded — served 200 days ago and reminded; decided — reminded and a 强制执行决定 (加处罚款或者
    滞纳金) made 20 days ago and approved; paid — served 200 days ago and the fine paid."""

    world: object
    unserved: object
    within: object
    served40: object
    served: object
    reminded: object
    decided: object
    served100r: object
    served300r: object
    paid: object


def enforcement_scene(where=None) -> Enforcement:
    from liuhen.testing.enforcement import decision, reminder, served_case
    from liuhen.testing.execution import fined_case, pay
    from liuhen.testing.world import World

    world = World()

    def reminded(**kw):
        case = served_case(world, **kw)
        reminder(world, case)
        return case

    decided = reminded()
    decision(world, decided, decided_days_ago=20)
    paid = served_case(world)
    pay(world, paid, "5000")
    return Enforcement(world=world, unserved=fined_case(world, served=False),
                       within=served_case(world, served_days_ago=3), served40=served_case(world, served_days_ago=40),
                       served=served_case(world), reminded=reminded(), decided=decided,
                       served100r=reminded(served_days_ago=100), served300r=reminded(served_days_ago=300), paid=paid)


@dataclass
class Fined:
    """A world of its own with one case (liuhen.testing.execution.fined_case, 5000 元)."""

    world: object
    case: object


def fined_scene(where=None) -> Fined:
    """The 决定书 served 3 days ago (fined_case's default)."""
    from liuhen.testing.execution import fined_case
    from liuhen.testing.world import World

    world = World()
    return Fined(world, fined_case(world))


def unserved_fine_scene(where=None) -> Fined:
    """The 决定书 not yet served (fined_case(served=False)): the test serves it when it needs
    (liuhen.testing.execution.serve, what fined_case does after)."""
    from liuhen.testing.execution import fined_case
    from liuhen.testing.world import World

    world = World()
    return Fined(world, fined_case(world, served=False))
