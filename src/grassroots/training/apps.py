from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "grassroots.training"
    label = "training"
    verbose_name = "干部培训"

    def ready(self) -> None:
        # the cadres' appraisal reads a cadre's training hours through its measure registry
        from grassroots.cadres import measures
        from grassroots.training import coverage

        measures.register("training_hours", coverage.hours_score)
