from django.urls import path

from portal.permits import stats_views

app_name = "permit_stats"
urlpatterns = [
    path("<slug:code>/statistics/", stats_views.procedure_statistics_page, name="statistics"),
]
