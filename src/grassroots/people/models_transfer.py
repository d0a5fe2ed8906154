"""Transfer requests (转入申请): registering a person whose ID number is held out of scope.

When an actor registers an ID number that a resident outside the actor's scope already holds, the
registry does not say so (that would be an existence oracle, issue 15 defect 4). The actor gets
the same answer as for a free number ("已提交，待核实"), and a request is routed to the holder's
grid: whoever may edit people there sees it and accepts (the resident moves into the requested
household) or declines. The requester is never shown the request, so it reveals nothing they could
not learn by asking the other community. Only `people.services.transfers` writes here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.people.choices import Relation, TransferState


class TransferRequest(models.Model):
    """A request that `resident` (held elsewhere) join `household` (in the requester's scope)."""

    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.PROTECT,
        related_name="transfer_requests",
        verbose_name=_("居民"),
    )
    household = models.ForeignKey(
        "people.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("迁入户")
    )
    relation = models.CharField(_("与户主关系"), max_length=16, choices=Relation.choices)
    # The name as the requester entered it, for the holder to compare with their record.
    name = models.CharField(_("申请填写的姓名"), max_length=60)
    # Where the request came from: "api" or "import".
    source = models.CharField(_("来源"), max_length=12)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("申请人"),
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=TransferState.choices, default=TransferState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    note = models.CharField(_("处理意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("转入申请")
        verbose_name_plural = _("转入申请")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["state", "resident"], name="transfer_state_resident")]

    def __str__(self) -> str:
        return f"{self.resident_id}->{self.household_id}"
