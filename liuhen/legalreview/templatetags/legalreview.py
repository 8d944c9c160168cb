"""The navigation's 法制审核 entry (base.html): 待审核 for the reviewers, heads and supervisors, the
法律职业资格 register for the system administrator."""
from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from liuhen.accounts.roles import Role

register = template.Library()


@register.simple_tag(takes_context=True)
def legalreview_nav(context):
    from liuhen.legalreview.views import may_list

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    if may_list(user):
        url, label = reverse("legalreview:index"), "法制审核"
    elif user.has_role(Role.SYSTEM_ADMIN):
        url, label = reverse("legalreview:qualifications"), "法律职业资格"
    else:
        return ""
    match = getattr(request, "resolver_match", None)
    active = match is not None and match.app_name == "legalreview"
    return format_html('<a href="{}"{}>{}</a>', url, mark_safe(' class="active"') if active else "", label)
