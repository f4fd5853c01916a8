from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("portal.core.urls")),
    path("", include("portal.identity.oidc_urls")),
    path("accounts/", include("portal.accounts.urls")),
    path("accounts/", include("portal.identity.urls")),
    path("businesses/", include("portal.operators.urls")),
    path("factories/", include("portal.operators.factory_urls")),
    path("applications/", include("portal.permits.member_urls")),
    path("", include("portal.billing.urls")),
    path("backoffice/", include("portal.backoffice.urls")),
    path("services/", include("portal.services.urls")),
    path("procedures/", include("portal.permits.urls")),
    path("payments/", include("portal.billing.callback_urls")),
    path("", include("portal.documents.urls")),
    path("procedures/", include("portal.permits.stats_urls")),
    path("altcha/", include("altcha_django.urls")),
]
if settings.SANDBOX:
    urlpatterns.append(path("sandbox/", include("portal.sandbox.urls")))

# The portal's own error pages (its look, Thai or English); CSRF_FAILURE_VIEW in settings.
handler400 = "portal.core.views.bad_request"
handler403 = "portal.core.views.permission_denied"
handler404 = "portal.core.views.page_not_found"
handler500 = "portal.core.views.server_error"
