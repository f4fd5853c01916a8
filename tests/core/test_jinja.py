"""The Jinja2 environment of long lists' rows and the date widget (portal.core.jinja)."""

import pytest
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from jinja2 import UndefinedError

from portal.core.jinja import choice_labels, jinja_html
from portal.operators.models import Holding


def test_a_value_is_escaped_and_the_selected_option_marked():
    html = jinja_html(
        "core/options.html",
        {"options": [("1", '<script>"x"</script>'), ("2", "โรงงาน")], "selected": 2},
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<option value="2" selected>โรงงาน</option>' in html
    assert '<option value="1">' in html


def test_an_undefined_name_fails_rather_than_drawing_nothing():
    with pytest.raises(UndefinedError):
        jinja_html("core/options.html", {"options": [("1", "a")]})


def test_url_of_gives_what_reverse_gives_for_each_key():
    template = get_template("core/options.html", using="jinja2").template
    url_of = template.globals["url_of"]
    detail = url_of("billing:bill_detail")
    assert [detail(key) for key in (1, 42, 987)] == [
        reverse("billing:bill_detail", args=[key]) for key in (1, 42, 987)
    ]


def test_translations_and_labels_follow_the_active_language():
    environment = get_template("core/options.html", using="jinja2").template.environment
    label = environment.from_string('{{ _("Factory") }}')
    with translation.override("th"):
        thai = choice_labels(Holding.Status.choices)
        assert label.render() == "โรงงาน"
    with translation.override("en"):
        english = choice_labels(Holding.Status.choices)
        assert label.render() == "Factory"
    assert thai[Holding.Status.VERIFIED] != english[Holding.Status.VERIFIED]
