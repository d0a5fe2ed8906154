from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "grassroots.cadres"
    label = "cadres"
    verbose_name = "村（社区）干部"
