"""Named choices of the visits app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EndReason(models.TextChoices):
    # The paired member moved away, died, or stopped being able to visit.
    MEMBER_LEFT = "member_left", _("党员（干部）离开")
    # The household was given to someone else (rebalancing, a request).
    REASSIGNED = "reassigned", _("调整结对")
    # The household moved away or was dissolved.
    HOUSEHOLD_LEFT = "household_left", _("户已迁出")
    # Anything else; the audit row keeps the note.
    OTHER = "other", _("其他")


# The tags of residents whose household a member of the party may be paired with: all of them.
# Who may be paired as a member: a resident whose politics is one of these.
PARTY_POLITICS = ("party", "probationary")


class ProposalKind(models.TextChoices):
    # A member's new phone number, noticed at the door.
    PHONE = "phone", _("新的联系电话")
    # A member no longer lives in the household.
    MOVED_OUT = "moved_out", _("已迁出")


class ProposalState(models.TextChoices):
    # Waiting for the community to accept or reject it.
    PENDING = "pending", _("待处理")
    # Applied to the registry through the people app's services.
    ACCEPTED = "accepted", _("已采纳")
    # Not applied; the reason is kept.
    REJECTED = "rejected", _("未采纳")
