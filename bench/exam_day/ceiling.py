"""
The ceiling: a bare Django view that stores one answer with one UPDATE of the answer row
(the same statement the product's save path ends with), through the same gunicorn,
middleware, settings and PostgreSQL — but no session, no user, no attempt check.
"""
import json

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from exams.models import AttemptItem


@csrf_exempt
@require_POST
def ceiling_save(request):
    body = json.loads(request.body)
    updated = AttemptItem.objects.filter(attempt_id=body["attempt"],
                                         position=body["position"]).update(
        answer=body["answer"], answered_at=timezone.now())
    return JsonResponse({"ok": bool(updated), "position": body["position"]})
