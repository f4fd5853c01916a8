from django.urls import path

from portal.sandbox import connected_views

urlpatterns = [
    path("connected/<slug:slug>/", connected_views.home, name="connected_home"),
    path("connected/<slug:slug>/login/", connected_views.login, name="connected_login"),
    path("connected/<slug:slug>/callback/", connected_views.callback, name="connected_callback"),
    path("connected/<slug:slug>/logout/", connected_views.logout, name="connected_logout"),
    path(
        "connected/<slug:slug>/backchannel-logout/",
        connected_views.backchannel_logout,
        name="connected_backchannel_logout",
    ),
]
