"""Pages of the sample connected system (see connected_client.py)."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.identity.selectors import connected_system_registered, issuer_for
from portal.sandbox import connected_client as client

PENDING_COOKIE = "sample_client_pending"
SESSION_COOKIE = "sample_client_session"


def _system(slug: str):
    system = connected_system_registered(slug=slug)
    if system is None:
        raise Http404
    return system


def _url(request, name: str, slug: str) -> str:
    return request.build_absolute_uri(reverse(f"sandbox:{name}", args=[slug]))


def _set_cookie(response, request, name: str, value: str, slug: str) -> None:
    # The client's own cookies, scoped to its own path: not the portal's session.
    response.set_cookie(
        name,
        value,
        path=reverse("sandbox:connected_home", args=[slug]),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def home(request, slug):
    system = _system(slug)
    session = client.session_get(request.COOKIES.get(SESSION_COOKIE), slug)
    context = {"system": system, "session": session, "error": request.GET.get("error", "")}
    if session:
        claims = {**session["userinfo"], **session["claims"]}
        context.update(
            {
                "claims": claims,
                "business": claims.get("business"),
                "factories": claims.get("factories") or [],
                "id_token_json": client.pretty(session["claims"]),
                "userinfo_json": client.pretty(session["userinfo"]),
            }
        )
    return render(request, "sandbox/connected_home.html", context)


def login(request, slug):
    """The initiate-login URI (OIDC Core 4): the portal's hand-off opens it; so can a visitor."""
    system = _system(slug)
    issuer = issuer_for(request)
    if request.GET.get("iss") and request.GET["iss"] != issuer:
        return HttpResponseBadRequest("unknown issuer")
    pending_id, url = client.login_start(
        slug=slug,
        issuer=issuer,
        redirect_uri=_url(request, "connected_callback", slug),
        scope=system.scopes,
    )
    response = redirect(url)
    _set_cookie(response, request, PENDING_COOKIE, pending_id, slug)
    return response


def callback(request, slug):
    _system(slug)
    home_url = reverse("sandbox:connected_home", args=[slug])
    try:
        session_id = client.login_finish(
            slug=slug,
            issuer=issuer_for(request),
            redirect_uri=_url(request, "connected_callback", slug),
            pending_id=request.COOKIES.get(PENDING_COOKIE, ""),
            params=request.GET,
        )
    except client.LoginFailed as failure:
        response = redirect(f"{home_url}?{urlencode({'error': str(failure)})}")
    else:
        response = redirect(home_url)
        _set_cookie(response, request, SESSION_COOKIE, session_id, slug)
    response.delete_cookie(PENDING_COOKIE, path=home_url)
    return response


@require_POST
def logout(request, slug):
    """RP-initiated logout: end the client's session, then the portal's."""
    _system(slug)
    session_id = request.COOKIES.get(SESSION_COOKIE)
    session = client.session_get(session_id, slug)
    home_url = reverse("sandbox:connected_home", args=[slug])
    if session is None:
        return redirect(home_url)
    client.session_end(session_id)
    metadata = client.provider_metadata(issuer_for(request))
    query = urlencode(
        {
            "id_token_hint": session["id_token"],
            "client_id": client.client_id_for(slug),
            "post_logout_redirect_uri": request.build_absolute_uri(home_url),
        }
    )
    response = redirect(f"{metadata['end_session_endpoint']}?{query}")
    response.delete_cookie(SESSION_COOKIE, path=home_url)
    return response


@csrf_exempt
@require_POST
def backchannel_logout(request, slug):
    _system(slug)
    try:
        client.backchannel_logout(
            slug=slug,
            issuer=issuer_for(request),
            logout_token=request.POST.get("logout_token", ""),
        )
    except client.LoginFailed as failure:
        return HttpResponseBadRequest(str(failure))
    response = HttpResponse(_("Logged out"), content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response
