"""The scorecard of an area as .xlsx (openpyxl): what the page shows, formula-safe, audited
with the file's hash."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.xlsx_safe import safe_cell
from grassroots.scorecard.auditlog import ScorecardAuditAction


def scorecard_xlsx(*, actor: User, data: dict[str, Any], base_url: str = "") -> tuple[bytes, str]:
    """The scorecard `data` (`selectors.scorecard`) as .xlsx bytes and a file name: one row
    per indicator with its pillar, definition, value, parts, trend, rank, median and the
    links to its rows. Audited (area, period, rows, sha256)."""
    area, period = data["area"], data["period"]
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 — a new workbook has its sheet
    ws.title = _("三化三力指标")
    ws.append([safe_cell(f"{area.name} {period.label} {_('三化三力指标')}")])
    ws["A1"].font = Font(bold=True, size=14)
    trend_labels = [p.label for p in data["periods"]]
    headers = [_("三化三力"), _("指标"), _("口径说明"), _("本期值"), _("分子"), _("分母")]
    headers += [*trend_labels, _("同级排名"), _("同级中位数"), _("记录链接")]
    ws.append([safe_cell(str(h)) for h in headers])
    count = 0
    for pillar in data["pillars"]:
        for row in pillar["rows"]:
            ind = row.indicator
            if not row.allowed:
                ws.append(
                    [safe_cell(str(pillar["label"])), safe_cell(ind.shown_label), "", _("无权查看")]
                )
                continue
            trend = [t["shown"] for t in row.trend] or [""] * (len(trend_labels) - 1) + [row.shown]
            rank = f"{row.rank}/{row.peers}" if row.rank else "—"
            links = " ".join(base_url + x["url"] for x in row.links)
            values = [str(pillar["label"]), ind.shown_label, ind.shown_definition, row.shown]
            values += [row.numerator, row.denominator, *trend, rank, row.median, links]
            ws.append([safe_cell(v) for v in values])
            count += 1
    out = io.BytesIO()
    wb.save(out)
    body = out.getvalue()
    audit_record(
        actor=actor,
        action=ScorecardAuditAction.EXPORT,
        object_type="area",
        object_id=area.pk,
        changes={
            "span": period.span,
            "since": period.start.isoformat(),
            "until": period.end.isoformat(),
            "rows": count,
            "sha256": hashlib.sha256(body).hexdigest(),
        },
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return body, f"scorecard-{area.pk}-{period.span}-{period.start}-{stamp}.xlsx"
