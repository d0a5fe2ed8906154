"""The indicator registry's rules, checked before any indicator is saved (the service and the
admin form's `clean` call the same `check`):

- the source names a registered figure (`figures.registry`), and so does a ratio's
  denominator; a ratio is shown as a rate, a figure in the figure's own unit;
- no indicator counts activity (log-ins, clicks, check-ins, photos uploaded, time on screen):
  the cadres' appraisal's own rule (`cadres.scoring.is_activity`) over its code, names,
  definitions and figures;
- code, names and definitions are filled, in both languages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from grassroots.cadres.scoring import is_activity
from grassroots.figures import registry
from grassroots.figures.choices import Unit
from grassroots.scorecard.choices import Pillar
from grassroots.scorecard.errors import ScorecardError
from grassroots.scorecard.errors import ScorecardErrorCode as E

Problem = tuple[str, str, str]  # (field, message, code)
TEXTS = ("code", "label", "label_en", "definition", "definition_en")


def check(ind: Any) -> list[Problem]:
    """Every problem of the indicator `ind` (anything with the model's fields), by field."""
    out: list[Problem] = []
    for field in TEXTS:
        if not str(getattr(ind, field, "") or "").strip():
            out.append((field, _("必填"), E.INVALID_VALUE))
    if ind.pillar not in Pillar.values:
        out.append(("pillar", _("未知的三化三力类别：%(v)s") % {"v": ind.pillar}, E.INVALID_VALUE))
    fig = registry.figure(ind.figure or "")
    if fig is None:
        out.append(("figure", _("没有名为 %(v)s 的统计项") % {"v": ind.figure}, E.UNKNOWN_SOURCE))
    per = registry.figure(ind.per) if ind.per else None
    if ind.per and per is None:
        out.append(("per", _("没有名为 %(v)s 的统计项") % {"v": ind.per}, E.UNKNOWN_SOURCE))
    texts = [str(getattr(ind, f, "") or "") for f in (*TEXTS, "figure", "per")]
    if is_activity(*texts):
        out.append(
            (
                "figure",
                _("指标只衡量工作成效，不统计登录、点击、签到打卡、上传照片或在线时长"),
                E.ACTIVITY_INDICATOR,
            )
        )
    if fig is not None and not out:
        want = Unit.RATE if (ind.per or fig.is_rate) else fig.unit
        if ind.unit != want:
            out.append(("unit", _("单位应为“%(u)s”") % {"u": Unit(want).label}, E.INVALID_VALUE))
    return out


def require(ind: Any) -> None:
    """Raise ScorecardError naming the first problem's field (and listing every problem)."""
    problems = check(ind)
    if problems:
        field, message, code = problems[0]
        raise ScorecardError(
            code,
            message,
            field=field,
            problems=[{"field": f, "message": m} for f, m, _c in problems],
        )


def as_validation_error(problems: list[Problem]) -> None:
    """The problems as a form's ValidationError by field (nothing when there are none)."""
    if problems:
        errors: dict[str, list[str]] = {}
        for field, message, _code in problems:
            errors.setdefault(field, []).append(message)
        raise ValidationError(errors)
