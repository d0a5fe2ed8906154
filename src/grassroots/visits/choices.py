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
