"""`liuhen demo --supervising-agency`: beside the demo water bureau, the city's 司法局 that supervises
it (上级监督, issue 21 §4) with one 监督人员, who reads the bureau's cases and may act on none of them.
Opt-in: with two agencies on the instance every command that acts for an agency asks for `--agency`."""
from django.db import transaction

from liuhen.accounts import services as acc
from liuhen.accounts.models import Agency
from liuhen.accounts.roles import Role

from .builder import AGENCY_NAME, DEMO_PASSWORD

NAME, SHORT = "本溪市司法局", "本司"
SUPERVISOR = ("sfj_jiandu", "司法局监督员")
BASIS = "市人民政府行政执法监督：市司法局监督市级行政执法机关"


def add_supervising_agency() -> dict:
    """Add the 司法局, its 监督人员 and its supervision of the demo bureau, once. {} when already there."""
    bureau = Agency.objects.filter(name=AGENCY_NAME).first()
    if bureau is None:
        raise RuntimeError("请先加载演示数据（liuhen demo）。")
    if Agency.objects.filter(name=NAME).exists():
        return {}
    with transaction.atomic():
        agency = acc.create_agency(None, name=NAME, short_name=SHORT)
        acc.create_unit(None, agency, name="行政执法协调监督科")
        username, full_name = SUPERVISOR
        person = acc.create_user(None, username=username, full_name=full_name, password=DEMO_PASSWORD, agency=agency,
                                 roles=[Role.SUPERVISOR])
        acc.grant_supervision(None, agency, bureau, basis=BASIS)
    return {"agency": agency.name, "supervised": bureau.name, "login": person.username}
