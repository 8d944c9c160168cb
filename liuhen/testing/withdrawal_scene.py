"""Scenes of the revoke / replace tests (liuhen/documents/tests/test_withdrawal.py), built once per
run (liuhen.testing.demo.scene_snapshot) and copied into each test: a world of its own and the 询问笔录
documents issued on it (liuhen.testing.documents_verify.issued: a case to 调查取证, the record signed,
its 文号 and sealed PDFs), the prefix each test used to build before revoking or re-issuing."""
from __future__ import annotations


def one_issued_scene(where=None):
    """(world, a document issued on a case of its own)."""
    from liuhen.testing.documents_verify import issued
    from liuhen.testing.world import World

    world = World()
    return world, issued(world)


def two_issued_scene(where=None):
    """(world, a document issued, another issued on another case), issued in that order."""
    from liuhen.testing.documents_verify import issued
    from liuhen.testing.world import World

    world = World()
    first = issued(world)
    return world, first, issued(world)
