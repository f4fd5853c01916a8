from django.urls import path

from portal.identity import views

app_name = "identity"
urlpatterns = [
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("login/code/", views.login_code, name="login_code"),
    path("sessions/", views.sessions, name="sessions"),
]
