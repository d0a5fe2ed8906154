"""The limit: a bare view that validates a small JSON body and inserts one case row and one event
row in a transaction — what this stack (gunicorn, Django, the database) can do at all.

Served only by the benchmark (see refsettings.py); the product's URLs are included unchanged.
Rows it writes carry the title `REF_TITLE` and are deleted by the harness afterwards.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

REF_TITLE = "BENCH-REF"


@csrf_exempt
def reference(request: HttpRequest) -> HttpResponse:
    from grassroots.cases.models import Case, CaseEvent

    try:
        body = json.loads(request.body)
        matter, area, text = int(body["matter_id"]), int(body["area"]), str(body["description"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "invalid"}, status=400)
    if not text or len(text) > 4000:
        return JsonResponse({"error": "invalid"}, status=400)
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.create(
            title=REF_TITLE,
            description=text,
            matter_id=matter,
            channel="api",
            area_id=area,
            level="county",
            created_at=now,
        )
        CaseEvent.objects.create(case=case, at=now, action="create", to_state="received")
    return JsonResponse({"id": case.pk}, status=201)


urlpatterns = [
    path("bench/reference/", reference),
    path("", include("grassroots.urls")),
]
