"""Several agencies on one instance (issue 21 §4): another agency beside the `world` one, with its own
units and one person of every role — shaped like liuhen.testing.world.World, so that the builders of
liuhen.testing (cases, documents, publicity…) work on it as on the world."""
import datetime

from django.utils import timezone

from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role
from liuhen.testing.world import World

CASE_ROLES = (("supervisor", Role.SUPERVISOR), ("archivist", Role.ARCHIVIST), ("device_admin", Role.DEVICE_ADMIN))
ADMINS = (("sysadmin", Role.SYSTEM_ADMIN), ("secadmin", Role.SECURITY_ADMIN), ("auditadmin", Role.AUDIT_ADMIN))


class OtherAgency(World):
    """An agency `name` (文号简称 `short_name`): two units and one person per role, each login name
    starting with `prefix`; officers hold certificates numbered after `cert_prefix`."""

    def __init__(self, name: str, short_name: str, prefix: str, cert_prefix: str):
        self.prefix = prefix
        self.agency = acc.create_agency(None, name=name, short_name=short_name)
        self.unit = acc.create_unit(None, self.agency, name="执法大队")
        self.other_unit = acc.create_unit(None, self.agency, name="法规科")
        today = timezone.localdate()
        self._n = 0

        def person(key, roles, unit=None, cert=False):
            user = acc.create_user(None, username=f"{prefix}{key}", full_name=f"{short_name}{key}",
                                   password=self.PASSWORD, agency=self.agency, unit=unit, roles=roles)
            if cert:
                self._n += 1
                acc.issue_certificate(None, user, number=f"{cert_prefix}{self._n:06d}",
                                      valid_from=today - datetime.timedelta(days=365),
                                      valid_until=today + datetime.timedelta(days=365))
            return user

        self.officer = person("officer", [Role.OFFICER], self.unit, cert=True)
        self.officer2 = person("officer2", [Role.OFFICER], self.unit, cert=True)
        self.outsider = person("outsider", [Role.OFFICER], self.other_unit, cert=True)
        self.unit_head = person("unit_head", [Role.UNIT_HEAD], self.unit)
        self.agency_head = person("agency_head", [Role.AGENCY_HEAD])
        self.reviewer = person("reviewer", [Role.LEGAL_REVIEWER])
        for key, role in CASE_ROLES + ADMINS:
            setattr(self, key, person(key, [role]))

    def people(self) -> dict:
        """Every person of the agency by their attribute name."""
        keys = ("officer", "officer2", "outsider", "unit_head", "agency_head", "reviewer")
        return {k: getattr(self, k) for k in keys + tuple(k for k, _ in CASE_ROLES + ADMINS)}


def world_people(world) -> dict:
    """The `world` agency's people of every role: the world's own, with the roles it lacks added."""
    from liuhen.testing.accounts import audit_admin, security_admin
    from liuhen.testing.cases import archivist
    from liuhen.testing.devices import device_admin
    from liuhen.testing.supervision import supervisor

    return {"officer": world.officer, "officer2": world.officer2, "outsider": world.outsider,
            "unit_head": world.unit_head, "agency_head": world.agency_head, "reviewer": world.reviewer,
            "supervisor": supervisor(world), "archivist": archivist(world), "device_admin": device_admin(world),
            "sysadmin": world.sysadmin, "secadmin": security_admin(world), "auditadmin": audit_admin(world)}
