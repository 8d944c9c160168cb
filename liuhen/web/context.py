from liuhen.cases.forms import cannot_open_cases_reason


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
            # 新建案件 only for those who may open a case: a link that only leads to a refusal is not offered.
            "nav_new_case": hasattr(user, "has_role") and not cannot_open_cases_reason(user)}
