"""The portal with an agency's site beside it (tests/identity/agency_site.py), for the tests
of docs/connecting-a-system.md."""

from portal.urls import *  # noqa: F403 (the portal's error handlers too)
from portal.urls import urlpatterns as portal_urlpatterns
from tests.identity import agency_site

urlpatterns = [*agency_site.urlpatterns, *portal_urlpatterns]
