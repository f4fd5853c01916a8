"""Django template to PDF (WeasyPrint), in Thai with the Sarabun font embedded, A4.

WeasyPrint loads what a template points at through `LocalFilesOnly`: the portal's own static
files (the whole Sarabun TTFs of fontpkg-sarabun, DESIGN.md's WeasyPrint notes) and data: URIs,
never the network and never any other file of the machine. The QR code to the public
verification page is drawn here too (segno), as inline SVG.
"""

import io
import posixpath

import segno
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = ["LocalFilesOnly", "qr_svg", "render_pdf", "verification_qr"]

STATIC_SCHEME = "static:"
# The static files a document may use: the fonts and the documents' own files.
STATIC_PREFIXES = ("fonts/", "documents/")
CONTENT_TYPES = {
    ".ttf": "font/ttf",
    ".css": "text/css",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


class RefusedResource(ValueError):
    """A template asked for something outside the portal's static files."""


class LocalFilesOnly(URLFetcher):
    """`static:fonts/Sarabun-Regular.ttf` from the static files finders; data: URIs as they
    are; anything else (http, https, file, ftp) refused."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(STATIC_SCHEME):
            raise RefusedResource(f"refused: {url[:80]}")
        path = posixpath.normpath(url.removeprefix(STATIC_SCHEME).lstrip("/"))
        if not path.startswith(STATIC_PREFIXES):
            raise RefusedResource(f"refused: {url[:80]}")
        found = finders.find(path)
        if not found:
            raise RefusedResource(f"not found: {url[:80]}")
        with open(found, "rb") as file:
            body = file.read()
        content_type = CONTENT_TYPES.get(posixpath.splitext(path)[1], "application/octet-stream")
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def render_pdf(template_name: str, context: dict) -> bytes:
    """The template rendered to PDF bytes. Templates extend documents/pdf/base.html, which
    sets A4, the fonts and the document's footer (mark, QR code, verification code). Always
    in Thai, with Buddhist-era dates, whatever language the person asking reads the portal in."""
    with translation.override("th"):
        html = render_to_string(template_name, context)
    return HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=LocalFilesOnly()).write_pdf()


def verification_qr(url: str) -> segno.QRCode:
    """The QR code printed on documents: medium error correction, so that a printed and
    folded page still scans."""
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, *, title: str = "") -> str:
    """The QR code of `url` as inline SVG, safe to put in a template."""
    qr = verification_qr(url)
    buffer = io.BytesIO()
    qr.save(
        buffer,
        kind="svg",
        scale=3,
        border=2,
        xmldecl=False,
        svgns=True,
        title=title or None,
        svgclass="qr",
        lineclass=None,
        omitsize=True,
    )
    return mark_safe(buffer.getvalue().decode())  # noqa: S308 (segno's own SVG, no input markup)
