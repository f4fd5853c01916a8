from django.urls import path

from portal.operators import views

app_name = "operators"
urlpatterns = [
    path("", views.business_list, name="businesses"),
    path("add/", views.business_add, name="business_add"),
    path("add/details/", views.business_add_details, name="business_add_details"),
    path("add/name/", views.business_add_name, name="business_add_name"),
    path("add/done/", views.business_add_done, name="business_add_done"),
    path("registry-changes/", views.registry_changes, name="registry_changes"),
    path("<int:holding_id>/", views.business_detail, name="business_detail"),
    path("<int:holding_id>/remove/", views.business_remove, name="business_remove"),
    path(
        "<int:holding_id>/holders/<int:target_id>/removal/",
        views.holder_removal_request,
        name="holder_removal",
    ),
    path(
        "<int:holding_id>/documents/<int:document_id>/",
        views.business_document,
        name="business_document",
    ),
]
