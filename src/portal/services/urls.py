from django.urls import path

from portal.services import content_views, views

app_name = "services"
urlpatterns = [
    path("", views.index, name="index"),
    path("guide/", content_views.guide, name="guide"),
    path("faq/", content_views.faq, name="faq"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/consent/", views.consent, name="consent"),
    path("<slug:slug>/open/", views.open_system, name="open"),
]
