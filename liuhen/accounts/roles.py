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
