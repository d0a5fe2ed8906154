"""The template library and superiors' requests (一表通).

A `LedgerTemplate` is a superior's table defined once as data (`definition`, checked against
the catalogue by `definition.definition_parse` before it is saved). A `ReportRequest` asks a
set of areas for one template and period; each area's `ReportAnswer` is answered by
generating the ledger from records and confirming it — who, when, the generated file and its
SHA-256 — never by typing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area
from grassroots.reports.choices import AnswerState, PeriodKind


class LedgerTemplate(models.Model):
    """A superior's table: a stable code, the definition (see `definition.py`), who keeps it.
    `builtin` templates come with the platform (data migration); a county adds its own."""

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    issuer = models.CharField(_("要求单位"), max_length=120, blank=True)
    description = models.TextField(_("说明"), blank=True)
    definition = models.JSONField(_("模板定义"))
    builtin = models.BooleanField(_("平台预置"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("台账模板")
        verbose_name_plural = _("台账模板")

    def __str__(self) -> str:
        return self.name

    @property
    def period_kind(self) -> str:
        return str(self.definition.get("period", PeriodKind.NONE))

    @property
    def period_label(self) -> str:
        """How often the table is asked for (月报, 季报, 年报, 不分期)."""
        kind = self.period_kind
        return str(PeriodKind(kind).label) if kind in PeriodKind.values else kind

    def clean(self) -> None:
        """Refuse a definition the platform cannot fill (the error names the field)."""
        from django.core.exceptions import ValidationError

        from grassroots.reports.definition import definition_parse
        from grassroots.reports.errors import ReportError

        try:
            definition_parse(self.definition)
        except ReportError as exc:
            raise ValidationError({"definition": f"{exc.detail.get('field')}: {exc}"}) from exc


class ReportRequest(models.Model):
    """A superior's request (报表): one template and period, asked of a set of areas."""

    template = models.ForeignKey(LedgerTemplate, on_delete=models.PROTECT, related_name="requests")
    period = models.CharField(_("报表期"), max_length=10, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    due_on = models.DateField(_("截止日期"), null=True, blank=True)
    issuer_area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ReportAnswer(models.Model):
    """One area's answer to a request: pending until someone of that area generates the ledger
    and confirms it; then the file, its SHA-256, who and when are kept unchanged."""

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="answers")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=12, choices=AnswerState.choices, default="pending")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    content = models.BinaryField(blank=True, default=b"")

    class Meta:
        ordering = ["area__code"]
        constraints = [
            models.UniqueConstraint(fields=["request", "area"], name="reports_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.request_id}:{self.area_id}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "area": self.area_id,
            "area_name": self.area.name,
            "state": self.state,
            "confirmed_by": self.confirmed_by.get_username() if self.confirmed_by else None,
            "confirmed_at": self.confirmed_at.isoformat() if self.confirmed_at else None,
            "rows": self.rows,
            "sha256": self.sha256,
        }
