from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def text(value) -> str:
    """A definition's {th, en} text in the page's language ("" for none)."""
    if value is None:
        return ""
    return value.get(get_language() or "th")
