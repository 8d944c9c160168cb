"""`{{ amount_fen|yuan }}`: an amount in 分 shown in 元 with 角分."""
from django import template

from liuhen.execution.selectors import yuan as _yuan

register = template.Library()


@register.filter
def yuan(amount_fen) -> str:
    return _yuan(int(amount_fen or 0))
