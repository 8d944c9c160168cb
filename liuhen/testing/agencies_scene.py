"""The two agencies of the isolation tests (liuhen/web/tests/test_agencies_isolation.py), built once per
run (liuhen.testing.demo.scene_snapshot) and copied into each test: the world's agency (A, 测水) with a
person of every role, another (B, 县水, liuhen.testing.agencies.OtherAgency), and each agency's objects."""
from types import SimpleNamespace


def agency_objects(agency, camera_number: str, station_number: str):
    """An agency's objects: a case with its decision issued and published, another in 调查取证, a
    camera and a docking station. Built the real way, through the services."""
    from liuhen.testing.cases import to_investigation
    from liuhen.testing.devices import camera
    from liuhen.testing.publicity import published_decision
    from liuhen.testing.uploads import station

    case, entry, version = published_decision(agency)
    doc = version.document
    open_case = to_investigation(agency)
    return SimpleNamespace(case=case, entry=entry, version=version, doc=doc, record=doc.record, open_case=open_case,
                           device=camera(agency, number=camera_number), station=station(agency, station_number)[0])


def two_agencies(where=None):
    """(world, a, b, a_objs, b_objs) on a world of its own: `a` the world's people by role
    (liuhen.testing.agencies.world_people), `b` the other agency."""
    from liuhen.testing.agencies import OtherAgency, world_people
    from liuhen.testing.world import World

    world = World()
    a = world_people(world)
    b = OtherAgency("测试县水务局", "县水", "x_", "2402")
    return SimpleNamespace(world=world, a=a, b=b, a_objs=agency_objects(world, "CS-CAM-01", "CS-CJZ-01"),
                           b_objs=agency_objects(b, "XS-CAM-01", "XS-CJZ-01"))
