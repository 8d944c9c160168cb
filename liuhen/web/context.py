from liuhen.accounts.roles import ADMIN_ROLES
from liuhen.accounts.views import first_page_url
from liuhen.avrules.supervision import may_supervise
from liuhen.cases.forms import cannot_open_cases_reason
from liuhen.documents.numbers import may_read_register as may_read_numbers
from liuhen.evaluation.services import is_unit_head as evaluation_unit_head
from liuhen.evaluation.services import may_see_rounds as may_see_evaluation
from liuhen.inspections.services import may_inspect
from liuhen.oversight.selectors import may_supervise as may_oversee
from liuhen.oversight.selectors import works_cases
from liuhen.publicity.work_selectors import powers as publicity_powers
from liuhen.retention.selectors import may_view as may_view_retention


def _copies_nav(user) -> bool:
    codes = user.role_codes() if hasattr(user, "role_codes") else set()
    return bool(codes - ADMIN_ROLES) and getattr(user, "agency_id", None) is not None


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_roles": "、".join(user.role_labels()) if hasattr(user, "role_labels") else "",
            # 审计管理员: the audit log (liuhen.audit) in the navigation.
            "nav_audit": hasattr(user, "has_role") and user.has_role("audit_admin"),
            # 三员分立: the three administrators see no case, so no 我的案件; 系统/安全管理员 work in the
            # configuration admin, reached from the navigation.
            "nav_cases": not (user.is_staff or (hasattr(user, "has_role") and user.has_role("audit_admin"))
                              # a 设备管理员 and nothing else works on no case: the device registry instead
                              or (hasattr(user, "role_codes") and user.role_codes() == {"device_admin"})),
            "nav_admin": user.is_staff,
            # 设备管理员: the device registry (liuhen.devices) in the navigation.
            "nav_devices": hasattr(user, "has_role") and user.has_role("device_admin"),
            # 音像记录暂存区 (liuhen.footage): officers see their own footage, the device administrator
            # and the agency head all of the agency's.
            "nav_footage": hasattr(user, "has_role") and user.has_role("officer", "device_admin", "agency_head"),
            # 我领用的设备 (liuhen.devices): an officer reports a fault on the device they hold (LW-D 8).
            "nav_my_devices": hasattr(user, "has_role") and user.has_role("officer"),
            # 证据复制 (liuhen.copies, LW-D 13): everyone who may ask, approve or make — not the
            # three administrators, who see no case.
            "nav_copies": _copies_nav(user),
            # 音像记录监督 (liuhen.avrules.supervision) and 抽检 (liuhen.inspections, LW-D 14).
            "nav_supervision": may_supervise(user),
            "nav_inspections": may_inspect(user),
            # 保存期限 (liuhen.retention, LW-D 11-12): those who keep, decide on or hold footage.
            "nav_retention": may_view_retention(user),
            # 我的待办 with its notices (liuhen.oversight): everyone who works cases; 执法监督 for the
            # 监督人员, 机关负责人, 法制审核人员 and a unit head for their unit.
            "nav_todo": works_cases(user),
            "nav_oversight": may_oversee(user),
            # 案卷评查 (liuhen.evaluation): the rounds for those who open or score them, a unit head's results.
            "nav_evaluation": may_see_evaluation(user),
            "nav_evaluation_unit": not may_see_evaluation(user) and evaluation_unit_head(user),
            # 文号登记簿 (liuhen.documents): the leaders who issue and void numbers, 法制审核, 监督, 档案.
            "nav_numbers": may_read_numbers(user),
            # 涉案财物台账 (liuhen.caseproperty, LQ 13): the officers who keep the items, the head who
            # approves their handling, the supervisors.
            "nav_property": hasattr(user, "has_role") and user.has_role("officer", "agency_head", "supervisor"),
            # 档案 (liuhen.archive): the archivist's 待归档/待接收/shelves, read by the head and the supervisors;
            # 档案调阅 (liuhen.retrieval): everyone who works cases asks for and approves retrievals.
            "nav_archive": hasattr(user, "has_role") and user.has_role("archivist", "agency_head", "supervisor"),
            "nav_retrieval": works_cases(user),
            # 公示 (liuhen.publicity): the profile's drafters, reviewers and approvers, and the supervisors.
            "nav_publicity": publicity_powers(user).any,
            # 执法规则 (liuhen.profiles): the agency's 记录事项清单 (BX 4, LQ 20), for everyone who works cases.
            "nav_profiles": works_cases(user),
            # Each one's first page carries the in-app notices (待清理公告).
            "nav_first_page": first_page_url(user),
            # 新建案件 only for those who may open a case: a link that only leads to a refusal is not offered.
            "nav_new_case": hasattr(user, "has_role") and not cannot_open_cases_reason(user)}
