"""Every figure equals the list behind its link, at any moment: after a refresh, and after
cases changed since (their days read live), with time limits passing in between; verify-figures
tells lag from corruption; the registry; the "as of" line."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from grassroots.cases.choices import Satisfaction
from grassroots.cases.models import Case
from grassroots.cases.services import Intake, case_intake
from grassroots.cases.workflow import case_apply
from grassroots.figures import live, registry
from grassroots.figures.checks import figures_verify
from grassroots.figures.columns import COUNTERS
from grassroots.figures.models import DailyFigure, RefreshMark
from grassroots.figures.services import figures_refresh
from tests.conftest import PASSWORD
from tests.test_dashboard_support import build_scenario


class _Anchors(HTMLParser):
    """Every link to the case list whose whole text is a number: (href, number)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, int]] = []
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), ""

    def handle_data(self, data):
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            text = self._text.strip()
            if self._href.startswith("/cases/?") and re.fullmatch(r"\d+", text):
                self.found.append((self._href, int(text)))
            self._href = None


def figure_links(html: str) -> list[tuple[str, int]]:
    parser = _Anchors()
    parser.feed(html)
    return parser.found


def list_count(client, href: str) -> int:
    """The length of the case list behind a link, rendered through the real view."""
    resp = client.get(href)
    assert resp.status_code == 200, (href, resp.status_code)
    return resp.context["page_obj"].paginator.count


def walk(client, url: str) -> list[tuple[str, int, int]]:
    """Each figure link of the page at `url`: (href, figure, length of its list)."""
    resp = client.get(url)
    assert resp.status_code == 200
    return [(href, n, list_count(client, href)) for href, n in figure_links(resp.content.decode())]


def assert_figures_equal_their_lists(client, url: str, minimum: int) -> list[tuple[str, int]]:
    walked = walk(client, url)
    wrong = [(href, n, got) for href, n, got in walked if n != got]
    assert not wrong, wrong
    assert len(walked) >= minimum, len(walked)
    return [(href, n) for href, n, _ in walked]


def settle():
    """Every case last written an hour ago, and refreshed since: no day is read live."""
    Case.objects.update(updated_at=F("updated_at") - datetime.timedelta(hours=1))
    figures_refresh(full=True)


@pytest.fixture
def scenario(world, catalogue):
    s = build_scenario(world, catalogue)
    settle()
    return s


@pytest.fixture
def leader(client):
    assert client.login(username="leader", password=PASSWORD)
    return client


def _figures(href):
    return parse_qs(urlsplit(href).query).get("figure", [""])[0]


def test_every_county_figure_equals_its_list_after_a_refresh(world, scenario, leader):
    walked = assert_figures_equal_their_lists(leader, "/dashboard/", minimum=40)
    names = {_figures(h) for h, _ in walked}
    # totals, each rate's numerator and denominator, the "now" figures, today
    assert {"received", "answered", "on_time", "responded", "solved", "handed"} <= names
    assert {"satisfied", "reviewed", "overdue", "supervised"} <= names
    township = f"/dashboard/area/{world.lingquan.pk}/"
    walked = assert_figures_equal_their_lists(leader, township, minimum=20)
    assert any("at=" in h for h, _ in walked)  # the township's own cases ("本级")


def test_figures_still_equal_their_lists_after_cases_changed_since_the_refresh(
    world, scenario, leader
):
    ids = scenario.ids
    before = dict(assert_figures_equal_their_lists(leader, "/dashboard/", minimum=40))
    case_apply(case_id=ids["late"], action="accept", actor=None)
    case_apply(case_id=ids["dispatched"], action="accept", actor=None)
    case_apply(case_id=ids["dispatched"], action="resolve", actor=None, note="已处理")
    case_apply(
        case_id=ids["dispatched"],
        action="review",
        actor=None,
        satisfaction=Satisfaction.UNSATISFIED,
    )
    for _ in range(3):
        case_intake(
            actor=None,
            intake=Intake(
                matter="M003", channel="hotline", description="今日", area=world.grid3b.pk
            ),
        )
    # no refresh since: the touched days are read live, the others from the rollups
    cut = live.cut()
    assert cut.days and timezone.localdate() in cut.days
    after = dict(assert_figures_equal_their_lists(leader, "/dashboard/", minimum=40))
    assert after != before
    for area in (world.lingquan, world.xiaozhen, world.grid3b):
        assert_figures_equal_their_lists(leader, f"/dashboard/area/{area.pk}/", minimum=15)


def test_todays_intake_equals_its_list_without_a_refresh(world, scenario, leader):
    for _ in range(7):
        case_intake(
            actor=None,
            intake=Intake(
                matter="M002", channel="hotline", description="今日", area=world.grid3a.pk
            ),
        )
    html = leader.get("/dashboard/").content.decode()
    today = [(h, n) for h, n in figure_links(html) if timezone.localdate().isoformat() in h]
    href, shown = next((h, n) for h, n in today if "figure=received" in h)
    assert shown == list_count(leader, href) >= 8  # the scenario's case of today and these
    trend = leader.get("/api/v1/metrics/dashboard/").json()["trend"]
    assert trend[-1]["day"] == timezone.localdate().isoformat() and trend[-1]["total"] >= 8


def test_a_response_limit_passing_after_the_refresh_counts_alike_in_figure_and_list(
    world, scenario, leader
):
    # the dispatched case's limit passes after the mark: both sides count as of the mark
    case = Case.objects.get(pk=scenario.ids["dispatched"])
    mark = RefreshMark.objects.get(pk=1).refreshed_at
    # (as a write does, the case is marked changed: the day is read live; a bare update left
    # the rollup's count of a limit that had passed at the mark — on afternoons, the scenario's
    # case of yesterday 10:00 being due before the refresh)
    Case.objects.filter(pk=case.pk).update(
        response_due=mark + datetime.timedelta(minutes=1), updated_at=timezone.now()
    )
    assert_figures_equal_their_lists(leader, "/dashboard/", minimum=40)
    # and once the refresher runs after the limit, both count it
    figures_refresh(now=mark + datetime.timedelta(minutes=2))
    assert_figures_equal_their_lists(leader, "/dashboard/", minimum=40)


def test_the_cases_figures_page_equals_its_lists(world, scenario, leader):
    case_apply(case_id=scenario.ids["late"], action="accept", actor=None)
    walked = assert_figures_equal_their_lists(leader, "/cases/figures/", minimum=9)
    assert {"satisfied", "reviewed", "solved", "handed", "on_time", "responded"} <= {
        _figures(h) for h, _ in walked
    }
    assert "数据截至" in leader.get("/cases/figures/").content.decode()


def test_verify_reports_lag_and_exits_0(world, scenario, capsys):
    case_apply(case_id=scenario.ids["late"], action="accept", actor=None)
    verdict = figures_verify()
    assert verdict.differences == [] and verdict.lag_cases == 1
    call_command("verify-figures")
    out = capsys.readouterr().out
    assert "lag: 1 case(s) written since the refresh" in out
    assert "consistent" in out


def test_verify_reports_corruption_and_exits_1(world, scenario, capsys):
    row = DailyFigure.objects.filter(grid3=world.grid3a.pk, received__gt=0).first()
    DailyFigure.objects.filter(pk=row.pk).update(received=row.received + 1)
    # even with cases being written meanwhile on other days
    case_apply(case_id=scenario.ids["dispatched"], action="accept", actor=None)
    with pytest.raises(SystemExit) as exc:
        call_command("verify-figures")
    assert exc.value.code == 1
    captured = capsys.readouterr()
    assert "lag: 1 case(s)" in captured.out
    assert "corrupt: daily" in captured.err and "received" in captured.err


def test_a_corrupt_row_on_a_day_touched_since_is_lag_until_the_refresh(world, scenario):
    case = Case.objects.get(pk=scenario.ids["today"])
    row = DailyFigure.objects.filter(day=timezone.localdate()).first()
    DailyFigure.objects.filter(pk=row.pk).update(received=row.received + 5)
    case_apply(case_id=case.pk, action="supervise", actor=None, note="请加快")
    assert figures_verify().differences == []  # the day is read live, its rows are lag
    figures_refresh()
    assert figures_verify().differences == []  # and the refresh rewrote them


def test_the_registry_holds_the_case_figures():
    names = {f.name for f in registry.figures()}
    assert set(COUNTERS) <= names
    rate = registry.figure("satisfaction_rate")
    assert (rate.numerator, rate.denominator) == ("satisfied", "reviewed")
    assert str(registry.figure("received").label) == "受理"
    assert registry.figure("overdue").current and not registry.figure("received").current
    assert registry.figure("nope") is None


def test_an_unknown_figure_is_a_clear_400(world, scenario, leader):
    resp = leader.get("/cases/?figure=nope&all=1")
    assert resp.status_code == 400


def test_pages_say_as_of_and_warn_in_red_when_the_refresher_stopped(world, scenario, leader):
    at = timezone.localtime(RefreshMark.objects.get(pk=1).refreshed_at).strftime("%H:%M")
    for url in (
        "/dashboard/",
        f"/dashboard/area/{world.county.pk}/report/",
        f"/dashboard/area/{world.county.pk}/health/",
        "/cases/figures/",
    ):
        html = leader.get(url).content.decode()
        assert f"数据截至 {at}" in html, url
        assert "统计刷新任务已停止" not in html, url
    RefreshMark.objects.filter(pk=1).update(
        refreshed_at=F("refreshed_at") - datetime.timedelta(minutes=6)
    )
    for url in ("/dashboard/", "/cases/figures/", f"/dashboard/area/{world.county.pk}/health/"):
        html = leader.get(url).content.decode()
        assert re.search(r'class="lag error">[^<]*统计刷新任务已停止', html), url
    api = leader.get("/api/v1/metrics/dashboard/").json()
    assert api["refreshed_at"] is not None


def _imports(package: str) -> set[str]:
    import ast
    from pathlib import Path

    import grassroots

    root = Path(grassroots.__file__).parent / package
    found: set[str] = set()
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
    return found


def test_the_dependencies_run_one_way():
    """DESIGN §5: cases registers into figures and never imports the dashboard; figures
    imports no app beyond core and the area tree (what it needs of cases comes registered)."""
    assert not {m for m in _imports("cases") if m.startswith("grassroots.dashboard")}
    allowed = ("grassroots.figures", "grassroots.core", "grassroots.areas")
    assert not {
        m for m in _imports("figures") if m.startswith("grassroots.") and not m.startswith(allowed)
    }
