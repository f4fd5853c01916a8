from django import template

from portal.core.money import Money

register = template.Library()


@register.filter
def satang(value) -> str:
    """An amount in satang as baht: 123450 -> "1,234.50" (BILL-10: exact, never a float)."""
    return Money(int(value)).format()
