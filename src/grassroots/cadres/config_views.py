"""The organisation department's configuration page: the year's appraisal scheme and pay rule,
shown in words, and edited through the services (`scheme_set`, `pay_rule_set`), which validate
the whole configuration before writing anything.

The form has one field per top-level key of the configuration (`scoring.DEFAULT_CONFIG`,
`pay.DEFAULT_PAY_CONFIG`): a list or table as JSON, a single value as text. A refusal is shown
next to the field it names (`quarterly[2].weight` next to 「quarterly」), with the full path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from grassroots.areas.scope import scope_for
from grassroots.cadres import pay, scoring, services
from grassroots.cadres.choices import Grade, Post, RaterGroup
from grassroots.cadres.models import PayRule, Scheme
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.errors import DomainError, invalid_filter
from grassroots.core.roles import Perm

KINDS: dict[str, dict[str, Any]] = {
    "scheme": {"defaults": scoring.DEFAULT_CONFIG, "model": Scheme, "set": services.scheme_set},
    "pay_rule": {
        "defaults": pay.DEFAULT_PAY_CONFIG,
        "model": PayRule,
        "set": services.pay_rule_set,
    },
}

PARTS = {
    "quarterly": gettext_lazy("季评"),
    "pledges": gettext_lazy("一诺"),
    "township": gettext_lazy("一考"),
    "reviews": gettext_lazy("三评议"),
}
MEASURES = {
    "manual": gettext_lazy("考核人评分"),
    "cases_on_time": gettext_lazy("诉求按时办结率"),
    "visits_done": gettext_lazy("走访计划完成率"),
    "disputes_settled": gettext_lazy("纠纷化解率"),
    "training_hours": gettext_lazy("培训学时完成率"),
}
VERDICTS = {
    "fulfilled": gettext_lazy("兑现"),
    "partly": gettext_lazy("部分兑现"),
    "unfulfilled": gettext_lazy("未兑现"),
}


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=1 if isinstance(value, list) else None)


def _stored(kind: str, year: int) -> dict[str, Any]:
    row = KINDS[kind]["model"].objects.filter(year=year).first()
    return {**KINDS[kind]["defaults"], **(row.config if row else {})}


def _fields(
    kind: str, values: Mapping[str, Any], errors: Mapping[str, str]
) -> list[dict[str, Any]]:
    out = []
    for key, default in KINDS[kind]["defaults"].items():
        out.append(
            {
                "key": key,
                "name": f"{kind}:{key}",
                "value": values[key] if isinstance(values[key], str) else _text(values[key]),
                "long": isinstance(default, (list, dict)),
                "error": errors.get(key, ""),
            }
        )
    return out


def _parsed(kind: str, post: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The posted configuration, and the fields that do not parse (their key → message)."""
    config: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, default in KINDS[kind]["defaults"].items():
        raw = str(post.get(f"{kind}:{key}", "")).strip()
        if isinstance(default, str):
            config[key] = raw
            continue
        try:
            value = json.loads(raw)
        except ValueError:
            errors[key] = _("格式有误（应为 JSON）")
            continue
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if type(value) is not type(default) and not (number and isinstance(default, int)):
            errors[key] = _("格式有误（应为 JSON）")
            continue
        config[key] = value
    return config, errors


def _top(field: str) -> str:
    return re.split(r"[.\[]", field, maxsplit=1)[0]


@login_required
@require_http_methods(["GET", "POST"])
def config_page(request: HttpRequest) -> HttpResponse:
    """GET: the year's scheme and pay rule in words, and their forms. POST (`kind`: scheme or
    pay_rule, `year`, the fields): set through the service; a refusal is shown by its field."""
    actor = actor_of(request)
    scope_for(actor).require(Perm.CONFIGURE_CADRES)
    source = request.POST if request.method == "POST" else request.GET
    year = params.integer("year", source.get("year"), low=2000, high=2100)
    year = year or timezone.localdate().year
    posted = {k: dict(_stored(k, year)) for k in KINDS}
    errors: dict[str, dict[str, str]] = {k: {} for k in KINDS}
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in KINDS:
            raise invalid_filter("kind", kind)
        config, errors[kind] = _parsed(kind, request.POST)
        posted[kind].update(
            {k: request.POST.get(f"{kind}:{k}", "") for k in KINDS[kind]["defaults"]}
        )
        if not errors[kind]:
            try:
                KINDS[kind]["set"](actor=actor, year=year, config=config)
            except DomainError as exc:
                field = str(exc.detail.get("field", ""))
                top = _top(field) if _top(field) in KINDS[kind]["defaults"] else "year"
                errors[kind][top] = f"{field}: {exc.message}" if field else str(exc.message)
            else:
                messages.success(request, _("已保存 %(year)d 年配置") % {"year": year})
                return redirect(reverse("cadres:config") + f"?year={year}")
    context = {
        "labels": {
            "parts": PARTS,
            "groups": dict(RaterGroup.choices),
            "grades": dict(Grade.choices),
            "posts": dict(Post.choices),
            "measures": MEASURES,
            "verdicts": VERDICTS,
        },
        "year": year,
        "scheme": services.scheme_for(year),
        "rule": services.pay_rule_for(year),
        "forms": [
            {
                "kind": k,
                "fields": _fields(k, posted[k], errors[k]),
                "year_error": errors[k].get("year", ""),
                "stored": KINDS[k]["model"].objects.filter(year=year).exists(),
            }
            for k in KINDS
        ],
    }
    status = 400 if any(errors.values()) else 200
    return render(request, "cadres/config.html", context, status=status)
