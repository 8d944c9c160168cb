def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_roles": "、".join(user.role_labels()) if hasattr(user, "role_labels") else ""}
