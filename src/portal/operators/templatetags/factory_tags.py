"""Labels of DIW's codes on the factory pages: {% load factory_tags %}."""

from django import template

from portal.operators.factory_selectors import licence_label, status_label

register = template.Library()


@register.filter
def factory_status(code: str) -> str:
    """operating -> แจ้งประกอบกิจการ / Operating, and so on (FAC-01)."""
    return status_label(code)


@register.filter
def factory_licence(code: str) -> str:
    """ror_ngor_4 -> ใบอนุญาตประกอบกิจการโรงงาน (ร.ง.4), and so on."""
    return licence_label(code)
