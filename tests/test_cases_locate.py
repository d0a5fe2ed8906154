"""The grids around a point (cases/routing.py): which areas' boxes hold it, and on PostgreSQL
through the bounding-box GiST index rather than a read of every area."""

import pytest
from django.db import connection

from grassroots.cases import routing

pytestmark = pytest.mark.django_db


def around(lon: float, lat: float) -> list[str]:
    return [a.code for a in routing._CANDIDATES.rows(lon=lon, lat=lat)]


def test_the_boxes_holding_a_point_come_deepest_first(world):
    # given the test county's squares (0.01° from each corner point)
    # when a point inside the 石楼小镇 community's square is looked up
    found = routing._CANDIDATES.rows(lon=110.805, lat=37.005)
    # then the community, its township and the county hold it, deepest first
    codes = [a.code for a in found]
    assert {"141126100001", "141126100000", "141126000000"} <= set(codes)
    assert [a.depth for a in found] == sorted((a.depth for a in found), reverse=True)
    # and a point on the squares' edge is held (a box's edges belong to it)
    assert "141126000000" in around(110.81, 37.005)
    # and a point outside every square is held by none
    assert around(120.0, 30.0) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GiST index is PostgreSQL's")
def test_postgresql_probes_the_bounding_box_index(world):
    # given the query the intake sends
    plan = routing._CANDIDATES.plan(connection.alias)
    params = [110.8 if p == -1234.5678 else 37.0 if p == -8765.4321 else p for p in plan.params]
    # when PostgreSQL plans it with sequential reads made as dear as they are on 300,000 areas
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN " + plan.sql, params)
        explained = "\n".join(row[0] for row in cur.fetchall())
    # then it reads the GiST index on the boxes
    assert "area_bbox_gist" in explained, explained
