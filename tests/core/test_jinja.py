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


@pytest.mark.django_db
def test_the_header_and_footer_links_are_those_django_reverses(client, robot):
    """The base template's links come from core.context_processors (reversed once a process):
    each is the URL of its name, for a visitor and for a member."""
    from tests.accounts.helpers import login
    from tests.factories import MemberFactory

    visitor = ["core:home", "services:index", "accounts:login", "services:faq", "sandbox:outbox"]
    page = client.get("/services/").content.decode()
    for name in [*visitor, "documents:verify_lookup", "accounts:register"]:
        assert f'href="{reverse(name)}"' in page
    member = MemberFactory()
    login(client, robot, member.national_id)
    page = client.get("/").content.decode()
    for name in [
        "billing:bill_list",
        "factories:list",
        "operators:businesses",
        "accounts:settings",
    ]:
        assert f'href="{reverse(name)}"' in page
    assert f'action="{reverse("accounts:logout")}"' in page
