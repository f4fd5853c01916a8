"""The web fonts (issue 9): the committed WOFF2 subsets of Sarabun are what scripts/build-fonts
makes from the locked fontpkg-sarabun, fontTools and brotli; the stylesheet declares exactly
the code points they hold; the whole TTFs stay among the static files for PDFs."""

import re
import runpy
import string
import subprocess
import sys
from pathlib import Path

from django.contrib.staticfiles import finders
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "src" / "portal" / "core" / "static" / "core" / "fonts"
CSS = ROOT / "src" / "portal" / "core" / "static" / "core" / "css" / "portal.css"
BUILD = ROOT / "scripts" / "build-fonts"


def test_the_committed_fonts_are_what_the_script_builds(tmp_path):
    done = subprocess.run(
        [sys.executable, str(BUILD), str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    built = sorted(path.name for path in tmp_path.iterdir())
    assert built == ["OFL.txt", "sarabun-400.woff2", "sarabun-600.woff2", "sarabun-700.woff2"]
    assert built == sorted(path.name for path in FONTS.iterdir())
    for name in built:
        assert (tmp_path / name).read_bytes() == (FONTS / name).read_bytes(), name


def test_each_subset_is_small_and_holds_thai_latin_and_the_pages_punctuation():
    build = runpy.run_path(str(BUILD))
    for weight in (400, 600, 700):
        path = FONTS / f"sarabun-{weight}.woff2"
        assert path.stat().st_size < 25_000  # the TTF is about 90 KB
        font = TTFont(path)
        assert font.flavor == "woff2"
        assert font["OS/2"].usWeightClass == weight
        code_points = set(font.getBestCmap())
        wanted = {
            *map(ord, "กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรฤลฦวศษสหฬอฮฯะัาำิีึืฺุู฿เแโใไๅๆ็่้๊๋์ํ๎๏๐๑๙๚๛"),
            *map(ord, string.ascii_letters + string.digits + string.punctuation + " ·×–—‘’“”•…→"),
        }
        assert wanted <= code_points, sorted(map(hex, wanted - code_points))
        # Vietnamese and Latin Extended are not the portal's languages.
        assert not code_points & set(range(0x0100, 0x0250)), weight
        assert code_points <= set(build["_unicodes"]())
        # Thai marks are positioned over and under their consonants.
        features = {r.FeatureTag for r in font["GPOS"].table.FeatureList.FeatureRecord}
        assert {"mark", "mkmk"} <= features


def test_the_stylesheet_declares_the_subsets_with_their_unicode_range_and_swap():
    build = runpy.run_path(str(BUILD))
    rules = re.findall(r"@font-face \{(.*?)\}", CSS.read_text(), re.DOTALL)
    assert len(rules) == 3
    for weight, rule in zip((400, 600, 700), rules, strict=True):
        assert f"font-weight: {weight};" in rule
        assert f'src: url("../fonts/sarabun-{weight}.woff2") format("woff2");' in rule
        assert "font-display: swap;" in rule
        assert f"unicode-range: {build['UNICODE_RANGE']};" in " ".join(rule.split())


def test_the_whole_ttfs_stay_available_for_pdfs():
    for style in ("Regular", "SemiBold", "Bold"):
        found = finders.find(f"fonts/Sarabun-{style}.ttf")
        assert found and TTFont(found)["maxp"].numGlyphs > 500, style
