"""SSO-10: when each of a member's sessions was last used, kept cheaply."""

import time

from portal.identity.services import SESSION_SEEN_AT, member_session_touch

# One UPDATE per session at most this often: enough to tell "now" from "yesterday".
ACTIVITY_EVERY_SECONDS = 5 * 60


class SessionActivityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None:
            now = time.time()
            if now - session.get(SESSION_SEEN_AT, 0) > ACTIVITY_EVERY_SECONDS:
                member_session_touch(session_key=session.session_key)
                session[SESSION_SEEN_AT] = now
        return self.get_response(request)
