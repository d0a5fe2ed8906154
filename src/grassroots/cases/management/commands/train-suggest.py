"""`grassroots train-suggest`: train the dispatch suggestion model; nightly in production."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.cases.suggest import store, training


class Command(BaseCommand):
    help = (
        "Train the dispatch suggestion model from the closed cases and the catalogue, measure "
        "it on the newest month, and make it current (the previous one is kept); --rollback "
        "makes the previous model current again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rollback", action="store_true", help="Use the previous model.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rollback"]:
            try:
                name = store.rollback()
            except FileNotFoundError as exc:
                raise CommandError(str(exc)) from None
            store.forget()
            self.stdout.write(f"current model: {name}")
            return
        try:
            model = training.train_county()
        except training.NothingToTrain as exc:
            # an empty catalogue is a county not set up yet, not a failing job
            self.stdout.write(f"nothing to train: {exc}")
            return
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        path = store.save(model)
        store.forget()
        meta = model.meta
        ev = meta.get("evaluation", {})
        self.stdout.write(
            f"{path.name}: {meta['cases']} closed cases, {meta['seeds']} seed examples, "
            f"{meta['matters']} matters, {meta['seconds']} s; held out {ev.get('held_out', 0)}: "
            f"top-1 {ev.get('top1', '-')} %, top-3 {ev.get('top3', '-')} %"
        )
