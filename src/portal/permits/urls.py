"""Public routes of permits (PRM-02): the citizen manuals. Member routes are in member_urls."""

from django.urls import path

from portal.permits import views

app_name = "procedures"
urlpatterns = [
    path("", views.manual_list, name="list"),
    path("<slug:procedure_code>/", views.manual_detail, name="detail"),
]
