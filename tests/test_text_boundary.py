"""Free text is cleaned where it enters (NFC, LF line ends, control characters removed), and every
XML and .xlsx writer drops what its format forbids, for rows stored before (issue 15, defect 11):
one stored \\x08 once broke `/open311/v2/requests.xml` for every client."""

from __future__ import annotations

import io
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from grassroots.areas.models import Area
from grassroots.cases import workflow
from grassroots.cases.models import Case, CaseEvent
from grassroots.core.text import clean_text, xml_text
from grassroots.core.xlsx_safe import safe_cell
from grassroots.open311.services import apikey_issue
from grassroots.people.ledger.export import residents_export
from grassroots.people.ledger.layout import cell_text
from grassroots.people.models import Resident
from grassroots.people.selectors import ResidentFilters
from tests.conftest import inside, signed_in
from tests.test_ledger_bad_input import _csv
from tests.test_ledger_support import family, ledger_settings, run_import  # noqa: F401

DIRTY = "路灯\x08不亮\x14，\r\n已三天\x00\x1b"
CLEAN = "路灯不亮，\n已三天"
STORED = "路灯\x08不亮\x14，\r\n已三天\x1b"  # PostgreSQL stores no NUL, so none here
FORBIDDEN = {chr(c) for c in range(32) if chr(c) not in "\t\n"} | {"\x7f"}


def _parses(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own response


def _texts(root: ET.Element) -> str:
    return "".join(root.itertext())


# -- the cleaning itself --------------------------------------------------------------------


def test_clean_text_removes_controls_keeps_tab_and_newline_and_composes():
    assert clean_text(DIRTY) == CLEAN
    assert clean_text("a\tb\nc\rd") == "a\tb\nc\nd"
    assert clean_text("Cafe\u0301") == "Café"  # NFC


@given(st.text())
def test_clean_text_leaves_nothing_forbidden_and_is_idempotent(text):
    cleaned = clean_text(text)
    assert not FORBIDDEN & set(cleaned) and clean_text(cleaned) == cleaned
    ET.fromstring(f"<a>{escape(xml_text(cleaned))}</a>".encode())  # noqa: S314


@given(st.text())
def test_xml_text_and_safe_cell_always_give_what_the_format_takes(text):
    ET.fromstring(f"<a>{escape(xml_text(text))}</a>".encode())  # noqa: S314
    Workbook().active.cell(row=1, column=1, value=safe_cell(text))  # openpyxl refuses the rest


# -- every entry point ----------------------------------------------------------------------


def test_api_bodies_are_cleaned(world, catalogue, api):
    body = {
        "matter": "M001",
        "channel": "hotline",
        "description": DIRTY,
        "location": inside(world.grid3a),
    }
    resp = api("hotline").post("/api/v1/cases/", body, format="json")
    assert resp.status_code == 201, resp.json()
    assert Case.objects.get(pk=resp.json()["id"]).description == CLEAN


def test_query_strings_are_cleaned(world, catalogue, api):
    resp = api("hotline").get("/api/v1/matters/", {"q": "路灯\x08"})
    assert resp.status_code == 200 and [m["code"] for m in resp.json()["results"]] == ["M001"]


def test_page_forms_are_cleaned(world, catalogue):
    from tests.test_cases_pages import register

    case = register(world)
    client = signed_in("community")
    assert client.post(f"/cases/{case.pk}/", {"action": "accept"}).status_code == 302
    client.post(f"/cases/{case.pk}/", {"action": "resolve", "note": DIRTY})
    event = CaseEvent.objects.filter(case=case).latest("pk")
    assert event.note == CLEAN


def test_open311_intake_is_cleaned(world, catalogue):
    _key, raw = apikey_issue(actor=None, name="随手拍")
    body = {"api_key": raw, "service_code": "M001", "lat": "37.0025", "long": "110.8025"}
    resp = Client().post("/open311/v2/requests.xml", {**body, "description": DIRTY})
    assert resp.status_code == 201
    case_id = _parses(resp.content).find("request/service_request_id").text
    assert Case.objects.get(pk=case_id).description == CLEAN


def test_spreadsheet_cells_are_cleaned(world, tmp_path, ledger_settings):  # noqa: F811
    assert cell_text(" 刘\x08一\r\n ") == ("刘一", False)
    _households, residents = family()
    residents[0][1] = "刘\x08一"
    path = tmp_path / "l.csv"
    path.write_text(_csv(residents), encoding="utf-8")
    job = run_import(path, actor=world.users["community"])
    assert job.created == 3, job.problems
    assert Resident.objects.filter(name="刘一").exists()


# -- rows stored before: every writer drops what its format forbids --------------------------


@pytest.fixture
def dirty_case(world, catalogue):
    """A case answered with a public note, then made dirty in the database directly."""
    from tests.test_cases_pages import register

    case = register(world)
    workflow.case_apply(case_id=case.pk, action="accept", actor=world.users["community"])
    workflow.case_apply(
        case_id=case.pk,
        action="resolve",
        actor=world.users["community"],
        note="已修复",
        public_note="已修复",
    )
    Case.objects.filter(pk=case.pk).update(description=STORED, address="石楼\x14小镇")
    CaseEvent.objects.filter(case=case).update(public_note=STORED, note=STORED)
    return case


def test_open311_xml_parses_whatever_was_stored(dirty_case):
    _key, _raw = apikey_issue(actor=None, name="随手拍")
    client = Client()
    for url in (
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{dirty_case.pk}.xml",
        "/open311/v2/services.xml",
    ):
        resp = client.get(url)
        assert resp.status_code == 200, url
        text = _texts(_parses(resp.content))
        assert not FORBIDDEN - {"\r"} & set(text)
    assert "路灯不亮" in _texts(_parses(client.get("/open311/v2/requests.xml").content))


def test_xlsx_exports_open_whatever_was_stored(world, registry, ledger_settings):  # noqa: F811
    Resident.objects.filter(pk=registry.father.pk).update(name="王\x08建国")
    Area.objects.filter(pk=world.grid3a.pk).update(name="微网格\x14A")
    result = residents_export(
        actor=world.users["community"], filters=ResidentFilters(within=world.xiaozhen.pk)
    )
    book = load_workbook(result.handle)
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert "王建国" in cells
    client = signed_in("leader")
    for table in ("children", "matters", "units", "trend", "health"):
        resp = client.get(f"/dashboard/area/{world.grid2.pk}/export/{table}.xlsx")
        assert resp.status_code == 200, table
        load_workbook(io.BytesIO(resp.content))
