"""The roles of an enforcement agency. Each role is a Django auth Group named by its code."""
from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "执法人员"
    UNIT_HEAD = "unit_head", "承办机构负责人"
    LEGAL_REVIEWER = "legal_reviewer", "法制审核人员"
    AGENCY_HEAD = "agency_head", "机关负责人"
    ARCHIVIST = "archivist", "档案管理员"
    SUPERVISOR = "supervisor", "监督人员"
    DEVICE_ADMIN = "device_admin", "设备管理员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


# 等保 2.0 三员分立 (SPEC §9): system, security and audit administrators are three different
# people, and none of them also works cases.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
LEADER_ROLES = frozenset({Role.UNIT_HEAD, Role.AGENCY_HEAD})
# Roles that may read every case of the agency (not only their own unit's or their own).
AGENCY_READ_ROLES = frozenset({Role.AGENCY_HEAD, Role.LEGAL_REVIEWER, Role.SUPERVISOR, Role.ARCHIVIST})
# Roles that read the cases of the agencies their agency supervises (上级监督, accounts.Supervision):
# the 监督人员 only. Not the 机关负责人 — their signature and approvals are gated by what they may
# see, and reading another agency's case must never let anyone act on it.
SUPERVISION_ROLES = frozenset({Role.SUPERVISOR})


def case_role_list_problems(value, what: str) -> list[str]:
    """What is wrong, in Chinese, with a setting that lists the roles who may do `what` with case
    content or evidence (审批证据复制, 抽检音像记录, 决定长期保存…): a non-empty list of known role
    codes, none of the three administrators — 三员分立 (SPEC §9): they see no case content. One
    rule for every such setting, so that each app's system check says the same thing."""
    if not isinstance(value, (list, tuple)) or not value or not all(isinstance(r, str) for r in value):
        return ["应为非空的角色代码列表"]
    problems = []
    for r in value:
        if r not in Role.values:
            problems.append(f"未知的角色 {r!r}（可选：{'、'.join(Role.values)}）")
        elif r in ADMIN_ROLES:
            problems.append(f"{Role(r).label}（{r}）不能{what}：三员分立，管理员不接触案件内容")
    return problems
