"""`grassroots import-areas`: a county's own tree from CSV or GeoJSON, all or nothing."""

import json

import pytest
from django.core.management import CommandError, call_command

from grassroots.areas.models import Area

CSV = """代码,名称,层级,上级代码,中心经度,中心纬度
141126000000,石楼县,county,,110.83,37.0
141126100000,灵泉镇,township,141126000000,,
141126100001,东城社区,community,141126100000,,
14112610000101,东城一网格,grid1,141126100001,,
"""


def test_csv_in_utf8_and_gb18030(db, tmp_path):
    path = tmp_path / "tree.csv"
    path.write_bytes(CSV.encode("gb18030"))
    call_command("import-areas", str(path))
    assert Area.objects.get(code="14112610000101").community.name == "东城社区"
    assert Area.objects.get(code="141126000000").centre_lon == pytest.approx(110.83)


def test_geojson(db, tmp_path):
    ring = [[110.8, 37.0], [110.9, 37.0], [110.9, 37.1], [110.8, 37.0]]
    features = [
        {
            "type": "Feature",
            "properties": {"code": "141126000000", "name": "石楼县", "level": "county"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        },
    ]
    path = tmp_path / "tree.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    call_command("import-areas", str(path))
    assert Area.objects.get(code="141126000000").polygon["type"] == "Polygon"


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.csv", b"", "is empty"),
        ("tree.xls", b"\xd0\xcf\x11\xe0", "use a .csv or .geojson"),
        ("tree.csv", b"code,name\n1,x\n", "lacks the column level"),
        ("tree.csv", "代码,名称,层级,上级代码\n141126000000,,county,\n".encode(), "row 2: name"),
        (
            "tree.csv",
            b"code,name,level,parent_code,centre_lon\n1,x,county,,abc\n",
            "row 2: centre_lon",
        ),
        ("tree.csv", b"code,name,level,parent_code,polygon\n1,x,county,,{bad\n", "row 2: polygon"),
        ("tree.geojson", b"{", "not valid JSON"),
        ("tree.geojson", b'{"type": "Feature"}', "FeatureCollection"),
    ],
)
def test_bad_files_are_named_errors(db, tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as err:
        call_command("import-areas", str(path))
    assert fragment in str(err.value)
    assert Area.objects.count() == 0


def test_row_errors_are_listed_and_nothing_is_written(db, tmp_path):
    path = tmp_path / "tree.csv"
    path.write_text(CSV + "14112610000102,孤儿,grid1,141126999999,,\n")
    with pytest.raises(CommandError) as err:
        call_command("import-areas", str(path))
    assert "row 6, parent_code: unknown parent code 141126999999" in str(err.value)
    assert Area.objects.count() == 0
