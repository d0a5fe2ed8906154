"""Pure rules of the tree: codes and polygons (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.areas import geo
from grassroots.areas.codes import code_problem, grid_code


@pytest.mark.parametrize(
    ("code", "level", "parent", "ok"),
    [
        ("141126000000", "county", None, True),
        ("14112600000", "county", None, False),  # 11 digits
        ("141126000001", "county", None, False),  # trailing digits on a county
        ("000000000000", "county", None, False),
        ("141126100000", "township", "141126000000", True),
        ("141127100000", "township", "141126000000", False),  # another county's prefix
        ("141126100001", "community", "141126100000", True),
        ("141126101001", "community", "141126100000", False),  # another township's prefix
        ("14112610000a", "village", "141126100000", False),
        ("14112610000101", "grid1", "141126100001", True),
        ("1411261000010", "grid1", "141126100001", False),
        ("1411261000010101001", "grid3", "1411261000010101", True),
        ("141126100001010101", "grid3", "1411261000010101", False),
    ],
)
def test_code_problem(code, level, parent, ok):
    assert (code_problem(code, level, parent) is None) is ok


@given(st.integers(min_value=1, max_value=99))
def test_generated_grid_codes_are_valid(n):
    g1 = grid_code("141126100001", "grid1", n)
    g2 = grid_code(g1, "grid2", n)
    g3 = grid_code(g2, "grid3", n)
    assert code_problem(g1, "grid1", "141126100001") is None
    assert code_problem(g2, "grid2", g1) is None
    assert code_problem(g3, "grid3", g2) is None


SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("not json", "GeoJSON object"),
        ({"type": "Point", "coordinates": [1, 2]}, "Polygon or MultiPolygon"),
        ({"type": "Polygon", "coordinates": []}, "non-empty list of rings"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "at least 4"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}, "end where"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [2, 0], [0, 0]]]}, "no area"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 91], [0, 0]]]}, "range"),
        ({"type": "Polygon", "coordinates": [[[0, 0], ["a", 0], [1, 1], [0, 0]]]}, "finite"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1], [1, 1], [0, 0]]]}, "[longitude"),
        ({"type": "MultiPolygon", "coordinates": []}, "MultiPolygon"),
    ],
)
def test_bad_polygons_are_named_errors(value, fragment):
    with pytest.raises(geo.GeometryError) as err:
        geo.normalise_geometry(value)
    assert fragment in str(err.value.message)
    assert err.value.detail["field"] == "polygon"


def test_feature_is_unwrapped_and_measured():
    g = geo.normalise_geometry(
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}
    )
    assert g == {"type": "Polygon", "coordinates": [[[float(x), float(y)] for x, y in SQUARE]]}
    assert geo.bbox(g) == (0, 0, 1, 1)
    assert geo.centre(g) == pytest.approx((0.5, 0.5))


def test_contains_respects_holes():
    hole = [[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.6], [0.4, 0.4]]
    g = geo.normalise_geometry({"type": "Polygon", "coordinates": [SQUARE, hole]})
    assert geo.contains(g, 0.2, 0.2)
    assert not geo.contains(g, 0.5, 0.5)
    assert not geo.contains(g, 1.5, 0.5)


@given(st.floats(0.01, 0.99), st.floats(0.01, 0.99))
def test_points_inside_a_square_are_contained(x, y):
    g = geo.normalise_geometry({"type": "Polygon", "coordinates": [SQUARE]})
    assert geo.contains(g, x, y)
