"""`liuhen demo --supervising-agency` (issue 21 §4): the city's 司法局 beside the demo water bureau,
whose 监督人员 reads every case of the bureau and works on none; loaded once."""
import io

from django.core.management import call_command

from liuhen.accounts.models import Agency, User
from liuhen.cases import access
from liuhen.cases.models import Case
from liuhen.demo.agencies import NAME, SUPERVISOR, add_supervising_agency
from liuhen.demo.builder import AGENCY_NAME


def test_the_supervising_agency_reads_the_bureaus_cases_and_works_on_none(demo):
    out = io.StringIO()
    call_command("demo", "--supervising-agency", stdout=out)
    assert f"已加载上级监督机关：{NAME}监督{AGENCY_NAME}" in out.getvalue() and SUPERVISOR[0] in out.getvalue()
    supervisor = User.objects.get(username=SUPERVISOR[0])
    bureau = Case.objects.filter(agency__name=AGENCY_NAME)
    assert set(access.visible_cases(supervisor)) == set(bureau) and bureau.exists()
    assert all(access.level(supervisor, case) == access.VIEW for case in bureau)
    # Loaded once.
    assert add_supervising_agency() == {} and Agency.objects.filter(name=NAME).count() == 1

