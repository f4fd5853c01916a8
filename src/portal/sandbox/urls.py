from django.urls import path

from portal.sandbox import views

app_name = "sandbox"
urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox.json", views.outbox_json, name="outbox_json"),
    path("registries/", views.registries, name="registries"),
]
