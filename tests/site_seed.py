"""Fills a fresh database (from the environment's DATABASE_URL) with the personas' world, the
registry, the catalogue, a case, a revealed ID and a media file: a small installation for the
tests that run the real commands and server (tests/sites.py). Run as `python -m tests.site_seed`
after `grassroots migrate`."""

import django

django.setup()

from django.conf import settings  # noqa: E402

from grassroots.cases import services as cases  # noqa: E402
from grassroots.people.services.reveal import resident_reveal  # noqa: E402
from tests.conftest import build_catalogue, build_registry, build_world  # noqa: E402

world = build_world()
registry = build_registry(world)
build_catalogue(world)
cases.case_intake(
    actor=world.users["gridworker"],
    intake=cases.Intake(
        matter="M001", channel="patrol", description="路灯不亮", area=world.grid3a.pk
    ),
)
resident_reveal(
    actor=world.users["community"], resident=registry.father, field="id_number", purpose="核实身份"
)
photo = settings.MEDIA_ROOT / "backup-test" / "photo.jpg"
photo.parent.mkdir(parents=True, exist_ok=True)
photo.write_bytes(b"\xff\xd8\xff\xe0 not really a photo \xff\xd9")
