from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "grassroots.reports"
    label = "reports"
    verbose_name = "一表通：台账与报表"
