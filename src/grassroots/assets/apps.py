from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "grassroots.assets"
    label = "assets"
    verbose_name = "村集体资产清化收"
