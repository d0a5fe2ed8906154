"""Read a county's area tree from a CSV or GeoJSON file into `AreaRow`s for `area_import`.

CSV: a header row with `code, name, level, parent_code` and optional `polygon` (GeoJSON text),
`centre_lon`, `centre_lat`; UTF-8 (with or without BOM) or GB18030. Chinese headers
(代码, 名称, 层级, 上级代码, 边界, 中心经度, 中心纬度) are accepted too.
GeoJSON: a FeatureCollection whose features carry those keys in `properties` and the polygon as
`geometry`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from grassroots.areas.errors import AreaErrorCode, AreaImportError
from grassroots.areas.services import AreaRow

HEADERS = {
    "代码": "code",
    "名称": "name",
    "层级": "level",
    "上级代码": "parent_code",
    "边界": "polygon",
    "中心经度": "centre_lon",
    "中心纬度": "centre_lat",
}
REQUIRED = ("code", "name", "level")


def _fail(message: str, **detail: Any) -> AreaImportError:
    return AreaImportError(AreaErrorCode.IMPORT_INVALID, message, **detail)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _fail("the file is neither UTF-8 nor GB18030 text", field="file")


def _float(value: str, line: int, name: str) -> float | None:
    if not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        raise _fail(f"row {line}: {name} is not a number", row=line, field=name) from None


def _row(values: dict[Any, Any], line: int, polygon: Any) -> AreaRow:
    missing = [k for k in REQUIRED if not str(values.get(k) or "").strip()]
    if missing:
        raise _fail(f"row {line}: {missing[0]} is empty", row=line, field=missing[0])
    lon = _float(str(values.get("centre_lon") or ""), line, "centre_lon")
    lat = _float(str(values.get("centre_lat") or ""), line, "centre_lat")
    return AreaRow(
        line=line,
        code=str(values["code"]).strip(),
        name=str(values["name"]).strip(),
        level=str(values["level"]).strip(),
        parent_code=str(values.get("parent_code") or "").strip() or None,
        polygon=polygon,
        centre=(lon, lat) if lon is not None and lat is not None else None,
    )


def read_csv(text: str) -> list[AreaRow]:
    """Rows of a CSV tree file; line numbers count the header as line 1."""
    reader = csv.DictReader(io.StringIO(text))
    fields = [HEADERS.get((f or "").strip(), (f or "").strip()) for f in reader.fieldnames or []]
    absent = [k for k in REQUIRED if k not in fields]
    if absent:
        raise _fail(f"the header lacks the column {absent[0]}", field=absent[0], row=1)
    reader.fieldnames = fields
    rows = []
    for line, record in enumerate(reader, start=2):
        polygon: Any = None
        text_polygon = (record.get("polygon") or "").strip()
        if text_polygon:
            try:
                polygon = json.loads(text_polygon)
            except json.JSONDecodeError:
                raise _fail(
                    f"row {line}: polygon is not valid JSON", row=line, field="polygon"
                ) from None
        rows.append(_row(record, line, polygon))
    return rows


def read_geojson(text: str) -> list[AreaRow]:
    """Rows of a GeoJSON FeatureCollection; `line` is the feature's 1-based number."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(f"not valid JSON ({exc.msg} at line {exc.lineno})", field="file") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise _fail("a GeoJSON tree file is a FeatureCollection", field="file")
    rows = []
    for number, feature in enumerate(data.get("features") or [], start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            raise _fail(f"feature {number}: no properties", row=number, field="properties")
        values = {HEADERS.get(k, k): v for k, v in props.items()}
        rows.append(_row(values, number, feature.get("geometry")))
    return rows


def read_tree_file(path: Path, *, max_bytes: int = 200 * 1024 * 1024) -> list[AreaRow]:
    """Rows of a .csv, .json or .geojson tree file; anything else is refused by name."""
    if not path.is_file():
        raise _fail(f"{path} does not exist", field="file")
    size = path.stat().st_size
    if size == 0:
        raise _fail(f"{path.name} is empty", field="file")
    if size > max_bytes:
        raise _fail(f"{path.name} is larger than {max_bytes} bytes", field="file")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json", ".geojson"):
        raise _fail(f"{path.name}: use a .csv or .geojson file", field="file")
    text = _decode(path.read_bytes())
    return read_csv(text) if suffix == ".csv" else read_geojson(text)
