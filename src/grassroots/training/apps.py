from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "grassroots.training"
    label = "training"
    verbose_name = "干部培训"
