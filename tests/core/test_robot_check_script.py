"""The robot check's Thai strings (issue 9, fast on a phone): the login, reset and reopen pages
load only the Thai block of altcha's translations, kept equal to the installed altcha's."""

import re
from pathlib import Path

import altcha_django
import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = ROOT / "src" / "portal" / "core" / "static" / "core" / "js" / "altcha-th.js"
ALL = Path(altcha_django.__file__).parent / "static" / "altcha_django" / "i18n" / "all.js"


def _thai_strings(script: str) -> str:
    # altcha's file names each language's object, then sets it: const i18n$6 = {...}; ...
    # globalThis.$altcha.i18n.set("th", i18n$6);
    name = re.search(r'i18n\.set\("th", (i18n\$\w+)\);', script).group(1)
    return re.search(rf"const {re.escape(name)} = (\{{\n(?:  .*\n)*?\}});", script).group(1)


def test_the_thai_strings_are_altchas_own():
    ours = re.search(r'i18n\.set\("th", (\{\n(?:  .*\n)*?\})\);', OURS.read_text()).group(1)
    assert ours == _thai_strings(ALL.read_text())
    assert 'label: "ฉันไม่ใช่บอท"' in ours


@pytest.mark.django_db
def test_the_login_page_loads_the_widget_then_its_thai_strings_only(client):
    page = client.get("/accounts/login/").content.decode()
    scripts = re.findall(r'<script type="module" src="([^"]+)"></script>', page)
    assert scripts == ["/static/altcha_django/altcha.min.js", "/static/core/js/altcha-th.js"]
