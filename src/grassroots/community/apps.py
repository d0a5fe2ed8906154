from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "grassroots.community"
    label = "community"
    verbose_name = _("社区建设规范化")
