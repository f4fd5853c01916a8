"""The factory pages (FAC-01 to FAC-05); src/portal/urls.py includes them at factories/."""

from django.urls import path

from portal.operators import factory_views

app_name = "factories"
urlpatterns = [
    path("", factory_views.factory_list, name="list"),
    path("add/", factory_views.factory_add, name="add"),
    path("add/done/", factory_views.factory_add_done, name="add_done"),
    path("add/<int:holding_id>/", factory_views.factory_add_choose, name="add_choose"),
    path("search/", factory_views.factory_search, name="search"),
    path("<int:factory_holding_id>/", factory_views.factory_detail, name="detail"),
    path("<int:factory_holding_id>/remove/", factory_views.factory_remove, name="remove"),
]
