"""docs/deploy.md's steps are the ones the install test runs, with the script's own defaults.

The install test (test_install.py) runs `deploy/install.sh`, `bin/grassroots check --deploy`,
the three units and nginx in a temporary prefix; this checks that the documented commands name
exactly those: options `install.sh` accepts, its default prefix, the units it renders.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

from tests.deploy.test_install import UNITS

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs" / "deploy.md").read_text()


def steps() -> list[list[str]]:
    """The commands of the first bash block under "### Steps"."""
    section = DOC[DOC.index("### Steps") :]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [shlex.split(line) for line in block.splitlines() if line.strip()]


def install_help() -> str:
    done = subprocess.run(  # noqa: S603
        [str(REPO / "deploy" / "install.sh"), "--help"], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_the_documented_install_uses_options_the_script_has():
    help_text = install_help()
    (install,) = [argv for argv in steps() if argv[0] == "deploy/install.sh"]
    for option in (a for a in install[1:] if a.startswith("--")):
        assert re.search(rf"^\s+{option}\b", help_text, re.M), option
    # the paths the steps use are the script's defaults
    assert "[/opt/grassroots]" in help_text and "[grassroots]" in help_text
    assert "[/etc/ssl/certs/grassroots.pem]" in help_text
    assert "[/etc/ssl/private/grassroots.key]" in help_text


def test_the_documented_steps_check_start_and_reload_what_the_test_runs():
    lines = steps()
    check = "runuser -u grassroots -- /opt/grassroots/bin/grassroots check --deploy"
    assert check.split() in lines
    assert ["systemctl", "enable", "--now", *UNITS] in lines
    assert ["nginx", "-t", "&&", "systemctl", "reload", "nginx"] in lines
    # and the units started are the ones in deploy/systemd
    assert sorted(p.stem for p in (REPO / "deploy" / "systemd").glob("*.service")) == sorted(UNITS)
    # in the test's order: install.sh, then the check, then the services, then nginx
    order = [" ".join(argv) for argv in lines]

    def first(text: str) -> int:
        return next(i for i, c in enumerate(order) if text in c)

    assert first("deploy/install.sh") < first("check --deploy") < first("systemctl enable")
    assert first("systemctl enable") < first("nginx -t")
