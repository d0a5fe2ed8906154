"""Every dashboard table as an .xlsx (openpyxl), formula-safe, audited; figures as on the page."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from grassroots.core.audit import audit_record
from grassroots.core.errors import NotFound
from grassroots.core.models import User
from grassroots.core.xlsx_safe import safe_cell
from grassroots.dashboard.auditlog import DashboardAuditAction

RATE_HEADERS = ("登记", "即时解答", "响应率", "办结率", "满意率", "未结案", "超期")


def _rates(f: dict[str, Any]) -> list[Any]:
    return [
        f["total"],
        f["answered"],
        f["response_rate"],
        f["resolution_rate"],
        f["satisfaction_rate"],
        f["open"],
        f["overdue"],
    ]


def _children(data: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    rows = [
        [c["area"].name if c["area"] else _("本级"), *_rates(c["figures"])]
        for c in data["children"]
    ]
    return [_("区域"), *RATE_HEADERS], rows


def _matters(data: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    rows = [[m["matter__code"], m["matter__name"], *_rates(m["figures"])] for m in data["matters"]]
    return [_("事项编码"), _("职能事项"), *RATE_HEADERS], rows


def _units(data: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    rows = [[i + 1, u["unit__name"], *_rates(u["figures"])] for i, u in enumerate(data["units"])]
    return [_("名次"), _("承办单位"), *RATE_HEADERS], rows


def _trend(data: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    rows = [
        [t["day"], t["total"], t["response_rate"], t["resolution_rate"], t["satisfaction_rate"]]
        for t in data["trend"]
    ]
    return [_("日期"), _("登记"), _("响应率"), _("办结率"), _("满意率")], rows


def _health(data: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    rows = [
        [h["area"].name, code, facts] for h in data.get("health", []) for code, facts in h["rules"]
    ]
    return [_("网格"), _("规则"), _("触发事实")], rows


TABLES: dict[str, Callable[[dict[str, Any]], tuple[list[str], list[list[Any]]]]] = {
    "children": _children,
    "matters": _matters,
    "units": _units,
    "trend": _trend,
    "health": _health,
}


def export_table(*, actor: User, data: dict[str, Any], table: str) -> tuple[bytes, str]:
    """The table `table` of a dashboard as .xlsx bytes and a file name; audited with its hash.
    An unknown table is NotFound."""
    make = TABLES.get(table)
    if make is None:
        raise NotFound("table")
    headers, rows = make(data)
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 — a new workbook has its sheet
    ws.title = table
    period = data["period"]
    ws.append([safe_cell(f"{data['area'].name} {period.start}–{period.last}")])
    ws.append([safe_cell(str(h)) for h in headers])
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    body = out.getvalue()
    audit_record(
        actor=actor,
        action=DashboardAuditAction.EXPORT,
        object_type="area",
        object_id=data["area"].pk,
        changes={
            "table": table,
            "rows": len(rows),
            "sha256": hashlib.sha256(body).hexdigest(),
            **period_dict(data),
        },
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return body, f"dashboard-{table}-{data['area'].pk}-{stamp}.xlsx"


def period_dict(data: dict[str, Any]) -> dict[str, str]:
    period: dict[str, str] = data["period"].query()
    return period
