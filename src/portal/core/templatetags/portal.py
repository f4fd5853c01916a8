from django import template
from django.forms import BaseForm, CheckboxSelectMultiple, MultiWidget, RadioSelect

from portal.core import thaidate
from portal.core.jinja import jinja_html

register = template.Library()


@register.filter
def thai_date(value, short=False):
    return thaidate.format_date(value, short=bool(short))


@register.filter
def choice_inputs(field):
    """A field's radio buttons or check boxes with their labels, drawn by Jinja2
    (core/choice_inputs.html)."""
    return jinja_html("core/choice_inputs.html", {"field": field})


@register.filter
def thai_datetime(value):
    return thaidate.format_datetime(value)


@register.simple_tag(takes_context=True)
def page_has_errors(context) -> bool:
    """Whether any bound form the page shows has errors, whatever the view named it (form,
    login_form, foreign_form...): the page's title then begins with "Error:" (GOV.UK)."""
    return any(
        isinstance(value, BaseForm) and value.is_bound and bool(value.errors)
        for value in context.flatten().values()
    )


@register.filter
def error_target(field) -> str:
    """The id the error summary links to: the field's own, or its first option or part for
    radio buttons and dates (whose label names no single input)."""
    widget = field.field.widget
    if isinstance(widget, (RadioSelect, CheckboxSelectMultiple, MultiWidget)):
        return widget.id_for_label(field.auto_id) or f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id
