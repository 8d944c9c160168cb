"""`{{ amount_fen|fen_yuan }}`: an amount in 分 shown in 元 with 角分; `{{ quantity|qty }}`: a quantity
without trailing zeros (2.500 → 2.5)."""
from decimal import Decimal

from django import template

from liuhen.caseproperty.selectors import yuan

register = template.Library()


@register.filter
def fen_yuan(amount_fen) -> str:
    return yuan(int(amount_fen or 0))


@register.filter
def qty(value) -> str:
    return f"{Decimal(value).normalize():f}" if value is not None else ""
