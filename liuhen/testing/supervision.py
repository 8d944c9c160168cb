"""The supervision tests' helpers: a 监督人员 in the world."""
from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role


def supervisor(world, username="jiandu"):
    return acc.create_user(None, username=username, full_name="监督员", password=world.PASSWORD,
                           agency=world.agency, roles=[Role.SUPERVISOR])
