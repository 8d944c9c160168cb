"""The devices tests' helpers: a 设备管理员 in the world, a camera."""
from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role
from liuhen.devices import services as dev


def device_admin(world, username="shebei"):
    return acc.create_user(None, username=username, full_name="设备管理员", password=world.PASSWORD,
                           agency=world.agency, roles=[Role.DEVICE_ADMIN])


def camera(world, number="JL-001", **kw):
    return dev.add_device(None, agency=world.agency, number=number, model_name=kw.pop("model_name", "DSJ-V9"), **kw)
