"""The OpenID Connect provider's URLs, under django-oauth-toolkit's namespace so that its
views reverse each other. Discovery is at the site root, so the issuer is the portal's base
URL (the toolkit derives the issuer from where discovery is mounted); the other endpoints
live under /oidc/."""

from django.urls import path, re_path
from oauth2_provider import views as dot

from portal.identity import oidc_views

app_name = "oauth2_provider"
urlpatterns = [
    re_path(
        r"^\.well-known/openid-configuration/?$",
        oidc_views.DiscoveryView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path("oidc/jwks/", dot.JwksInfoView.as_view(), name="jwks-info"),
    path("oidc/authorize/", oidc_views.PortalAuthorizationView.as_view(), name="authorize"),
    path("oidc/token/", oidc_views.PortalTokenView.as_view(), name="token"),
    path("oidc/userinfo/", oidc_views.PortalUserInfoView.as_view(), name="user-info"),
    path("oidc/logout/", oidc_views.PortalLogoutView.as_view(), name="rp-initiated-logout"),
    path("oidc/revoke/", oidc_views.PortalRevokeTokenView.as_view(), name="revoke-token"),
]
