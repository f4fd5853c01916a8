from django.conf import settings


def portal(request):
    user = getattr(request, "user", None)
    return {
        "SANDBOX": settings.SANDBOX,
        "is_officer": bool(user and user.is_authenticated and getattr(user, "is_officer", False)),
    }
