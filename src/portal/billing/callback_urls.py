from django.urls import path

from portal.billing import callback_views

app_name = "payments"
urlpatterns = [
    path("callback/<slug:bank_code>/", callback_views.bank_callback, name="bank_callback"),
]
