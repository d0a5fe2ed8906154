"""The install test's world, written into an installed grassroots by its own `grassroots shell`.

Run as ``PREFIX/bin/grassroots shell -c "from tests.deploy.seed import main; main()"`` with the
checkout on PYTHONPATH (for the `tests` package alone: `grassroots` itself is the installed
one). Builds the suite's personas and matters through the real services (tests/conftest.py)
and prints, as one JSON line, what the test needs to sign in and file a case: the personas'
password, the hotline operator's second-factor secret (base32, as an authenticator app holds
it) and the micro grid a case is filed in.
"""

from __future__ import annotations

import base64
import json

from django.db import transaction

from grassroots.core import otp
from tests.conftest import PASSWORD, build_catalogue, build_world


def main() -> None:
    with transaction.atomic():
        world = build_world()
        build_catalogue(world)
    device = otp.confirmed_device(world.users["hotline"])
    assert device is not None
    print(  # noqa: T201 (the test reads this line)
        json.dumps(
            {
                "password": PASSWORD,
                "hotline_secret": base64.b32encode(device.bin_key).decode(),
                # the step its enrolment used: a code of that step again is a replay
                "hotline_last_t": device.last_t,
                "grid": world.grid3b.pk,
            }
        )
    )
