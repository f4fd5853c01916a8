from django.urls import path

from portal.identity import thaid_views, views

app_name = "identity"
urlpatterns = [
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path(
        "two-factor/recovery-codes/download/",
        views.recovery_codes_download,
        name="recovery_codes_download",
    ),
    path("login/code/", views.login_code, name="login_code"),
    path("sessions/", views.sessions, name="sessions"),
    path("thaid/start/", thaid_views.start, name="thaid_start"),  # ACC-10
    path("thaid/callback/", thaid_views.callback, name="thaid_callback"),
]
