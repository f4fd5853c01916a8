from django import template

from portal.core import thaidate

register = template.Library()


@register.filter
def thai_date(value, short=False):
    return thaidate.format_date(value, short=bool(short))


@register.filter
def thai_datetime(value):
    return thaidate.format_datetime(value)
