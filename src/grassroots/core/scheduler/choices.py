"""Named choices of the scheduler."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    # The command returned normally (or exited with status 0).
    OK = "ok", _("运行成功")
    # The command raised or exited with a non-zero status; it is retried with a backoff.
    FAILED = "failed", _("运行失败")
    # The run never finished: its scheduler stopped or lost the lease; retried like a failure.
    INTERRUPTED = "interrupted", _("运行中断")
