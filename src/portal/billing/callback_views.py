"""The banks' callback endpoint (BILL-08): POST /payments/callback/<bank code>/.

CSRF-exempt by design: a bank's server has no session or CSRF token; each callback carries the
bank's own HMAC signature instead, checked (with its time, against replays) by the bank's
adapter in billing.services.bank_callback_receive, which gets the raw body untouched."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.billing.services import bank_callback_receive


@csrf_exempt
@never_cache
@require_POST
def bank_callback(request: HttpRequest, bank_code: str) -> JsonResponse:
    answer = bank_callback_receive(bank_code, request.body, request.headers)
    return JsonResponse(answer.body, status=answer.status_code)
