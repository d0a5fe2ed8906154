"""The demo never mixes with a database that holds other data."""

import pytest

from grassroots.areas.models import Area
from grassroots.demo.loader import DemoConflict, load_demo
from tests.conftest import build_world


def test_demo_refuses_to_mix_with_other_data(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    build_world()
    Area.objects.filter(code="141126000000").update(code="141127000000")
    with pytest.raises(DemoConflict):
        load_demo(password="Demo-test-2026", seed=1)
    assert not Area.objects.filter(code="141126000000").exists()
    assert not (tmp_path / "demo_password").exists()
