"""The people app's periodic jobs (run by the scheduler, `grassroots.core.scheduler`)."""

from django.utils.translation import gettext_lazy as _

from grassroots.core.scheduler import register

# Nightly, at a quiet hour (Asia/Shanghai); the retention is PEOPLE_IMPORT_RETENTION_DAYS.
register(
    "purge-imports",
    schedule="30 3 * * *",
    description=_("清理过期的导入任务、上传文件和错误报告"),
)
