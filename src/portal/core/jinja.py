"""The Jinja2 environment for the rows of long lists and the date widget (docs/decisions.md,
"What every page costs, and the rows of long lists").

Django's templates spend about 0.5 to 0.8 ms on one bill card or queue row on the project's
machine, a date field 6 ms (Django draws each option of its selects from a template of its
own): a page of 20 to 50 rows, or a filter with two dates, cost more than its queries. Jinja2
compiles a template to Python and draws the same markup faster. Pages stay Django templates;
a view draws its rows with `jinja_html` and hands the page the result, already escaped by
Jinja2.

What a row template may use, and nothing else: Django's translations (`_`, `gettext`,
`ngettext`, `pgettext`, with Jinja2's new-style i18n: `_("Page %(n)s", n=1)`, the same msgids
as Django's `blocktranslate`), `url_of(name)` (below), and the filters
`thai_date`, `thai_datetime` and `satang`. Undefined names raise, so a typo fails the tests,
not the page.
"""

from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, StrictUndefined

from portal.core import thaidate
from portal.core.money import Money

# A number no object has, reversed in place of the one key of a URL.
_KEY_MARKER = "987654321987654321"


def _url_of(name: str):
    """The URL of `name` for each key, for a loop: `{% set detail = url_of("app:detail") %}`,
    then `detail(row.pk)`. Django's reverse costs about 40 microseconds on the project's
    machine; it runs once here, and each row's URL is the key put in place of a marker."""
    prefix, _marker, suffix = reverse(name, args=[int(_KEY_MARKER)]).partition(_KEY_MARKER)
    return lambda key: f"{prefix}{int(key)}{suffix}"


def choice_labels(choices) -> dict[str, str]:
    """(value, label) pairs as {value: label} in the active language, for a loop (a field's
    get_FOO_display costs about 60 microseconds a call on the project's machine)."""
    return {value: str(label) for value, label in choices}


def _satang(value) -> str:
    """An amount in satang as baht: 123450 -> "1,234.50" (BILL-10: exact, never a float)."""
    return Money(int(value)).format()


def environment(**options) -> Environment:
    # Django's backend asks for autoescaping too; said here as well, for every value of a row.
    options.pop("autoescape", None)
    options["undefined"] = StrictUndefined
    env = Environment(autoescape=True, **options)
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext,
        translation.ngettext,
        newstyle=True,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    env.globals["url_of"] = _url_of
    env.filters["thai_date"] = thaidate.format_date
    env.filters["thai_datetime"] = thaidate.format_datetime
    env.filters["satang"] = _satang
    return env


def jinja_html(template_name: str, context: dict) -> SafeString:
    """The markup drawn by the Jinja2 template `template_name` (in an app's `jinja2/` folder),
    for a Django template to place as it is: Jinja2 has escaped every value."""
    html = get_template(template_name, using="jinja2").render(context)
    return mark_safe(html)  # noqa: S308 (autoescaped by Jinja2)
