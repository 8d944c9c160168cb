"""The archived case with footage of the 调用单 footage tests (liuhen/retrieval/tests/test_footage_scope.py),
built once per run (liuhen.testing.demo.scene_snapshot) and copied into each test with its clips."""
from types import SimpleNamespace


def archived_footage_scene(where):
    """A world of its own and liuhen.testing.retrieval.archived_with_footage on it (its camera dumps
    under `where`): world, and files = (case, [linked], unlinked, foreign)."""
    from liuhen.testing.retrieval import archived_with_footage
    from liuhen.testing.world import World

    world = World()
    return SimpleNamespace(world=world, files=archived_with_footage(world, where))
