from django.urls import path

from portal.sandbox import connected_urls, thaid_provider, views

app_name = "sandbox"
urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox.json", views.outbox_json, name="outbox_json"),
    path("registries/", views.registries, name="registries"),
    path("authenticator/", views.authenticator, name="authenticator"),
    path("bank/", views.bank, name="bank"),
    path("bank/statements/<str:day>.json", views.bank_statement, name="bank_statement"),
    # The sandbox ThaID provider (ACC-10), issuer /sandbox/thaid.
    path(
        "thaid/.well-known/openid-configuration",
        thaid_provider.discovery,
        name="thaid_discovery",
    ),
    path("thaid/jwks", thaid_provider.jwks, name="thaid_jwks"),
    path("thaid/authorize", thaid_provider.authorize, name="thaid_authorize"),
    path("thaid/token", thaid_provider.token, name="thaid_token"),
    path("thaid/userinfo", thaid_provider.userinfo, name="thaid_userinfo"),
    path("thaid/qr/<uuid:request_id>/", thaid_provider.qr, name="thaid_qr"),
    path("thaid/qr/<uuid:request_id>/status.json", thaid_provider.status, name="thaid_status"),
    path("thaid/qr/<uuid:request_id>/continue/", thaid_provider.continue_, name="thaid_continue"),
    path("thaid/app/<uuid:request_id>/", thaid_provider.app, name="thaid_app"),
]
urlpatterns += connected_urls.urlpatterns  # the sample connected system
