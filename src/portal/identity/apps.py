from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_migrate


def _install_connected_systems(sender, using, **kwargs):
    from portal.identity.catalogue import install_connected_systems
    from portal.identity.models import ConnectedSystem

    install_connected_systems(ConnectedSystem, using=using)


def _end_sign_ins_of_session(sender, request, user, **kwargs):
    # SSO-07: logging out of the portal ends the session at the connected systems too.
    from portal.identity.services import sign_ins_end

    if request is not None and request.session.session_key:
        sign_ins_end(session_keys=[request.session.session_key], request=request)


class IdentityConfig(AppConfig):
    name = "portal.identity"
    label = "identity"
    verbose_name = "Identity: single sign-on, two-factor authentication, sessions"

    def ready(self):
        from portal.identity import checks

        checks.register()
        post_migrate.connect(_install_connected_systems, sender=self)
        user_logged_out.connect(_end_sign_ins_of_session, dispatch_uid="identity-sign-ins-end")
