"""The applicant's pages (PRM-04 to PRM-10); src/portal/urls.py includes them at
applications/."""

from django.urls import path

from portal.permits import member_views as views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_new, name="new"),
    path(
        "new/<int:factory_holding_id>/<slug:procedure_code>/",
        views.application_start,
        name="start",
    ),
    path(
        "new/business/<int:holding_id>/<slug:procedure_code>/",
        views.application_start_for_business,
        name="start_business",
    ),
    path("<int:application_id>/", views.application_detail, name="detail"),
    path("<int:application_id>/form/", views.application_form, name="form"),
    path("<int:application_id>/documents/", views.application_documents, name="documents"),
    path("<int:application_id>/files/<int:file_id>/", views.application_file, name="file"),
    path(
        "<int:application_id>/files/<int:file_id>/remove/",
        views.application_file_remove,
        name="file_remove",
    ),
    path("<int:application_id>/declaration/", views.application_declaration, name="declaration"),
    path("<int:application_id>/withdraw/", views.application_withdraw, name="withdraw"),
    path("<int:application_id>/deficiency/", views.application_deficiency, name="deficiency"),
    path("<int:application_id>/corrections/", views.application_corrections, name="corrections"),
    path("<int:application_id>/extension/", views.application_extension, name="extension"),
    path("<int:application_id>/letter/", views.application_letter, name="letter"),
]
