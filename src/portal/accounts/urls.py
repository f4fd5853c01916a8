from django.urls import path

from portal.accounts import views

app_name = "accounts"
urlpatterns = [
    path("register/", views.register_terms, name="register"),
    path("register/consent/", views.register_consent, name="register_consent"),
    path("register/details/", views.register_details, name="register_details"),
    path("register/done/", views.register_done, name="register_done"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("consent/", views.consent_view, name="consent"),
    path("reset/", views.reset_start, name="reset"),
    path("reset/channel/", views.reset_channel, name="reset_channel"),
    path("reset/verify/", views.reset_verify, name="reset_verify"),
    path("reset/birth-date/", views.reset_birth_date, name="reset_birth_date"),
    path("reset/password/", views.reset_password, name="reset_password"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/avatar/", views.avatar_upload, name="avatar_upload"),
    path("settings/avatar.png", views.avatar, name="avatar"),
    path("settings/contact/<str:kind>/", views.contact_change, name="contact_change"),
    path("settings/password/", views.password_change, name="password_change"),
    path("settings/consents/", views.consents_view, name="consents"),
    path("settings/close/", views.close_account, name="close"),
    path("settings/name-change/", views.name_change_request, name="name_change"),
    path("settings/registry-name/", views.registry_name_confirm, name="registry_name"),
    path("requests/<int:request_id>/evidence/", views.request_evidence, name="request_evidence"),
    path("reopen/", views.reopen_request, name="reopen"),
]
