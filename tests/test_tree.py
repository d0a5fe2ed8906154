"""The area tree: placement rules, moves, imports and the cost of subtree queries."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from grassroots.areas import selectors
from grassroots.areas import services as s
from grassroots.areas.models import Area
from grassroots.core.errors import DomainError
from grassroots.core.models import AuditEvent
from tests.conftest import square


def test_every_node_carries_its_ancestors_and_itself(world):
    g3 = Area.objects.get(pk=world.grid3a.pk)
    assert (g3.county_id, g3.township_id, g3.community_id) == (
        world.county.pk,
        world.lingquan.pk,
        world.xiaozhen.pk,
    )
    assert (g3.grid1_id, g3.grid2_id, g3.grid3_id) == (world.grid1.pk, world.grid2.pk, g3.pk)
    assert g3.depth == 6


@pytest.mark.parametrize(
    ("level", "parent_attr", "code"),
    [
        ("grid3", "xiaozhen", "14112610000199"),  # micro grid straight under a community
        ("community", "county", "141126100009"),  # community under a county
        ("township", "lingquan", "141126102000"),  # township under a township
        ("county", "county", "141127000000"),  # county under anything
    ],
)
def test_wrong_level_is_refused_and_nothing_written(world, level, parent_attr, code):
    before = Area.objects.count()
    with pytest.raises(DomainError) as err:
        s.area_create(
            actor=None, code=code, name="x", level=level, parent=getattr(world, parent_attr)
        )
    assert err.value.code == "wrong_level"
    assert err.value.detail["field"] == "level"
    assert Area.objects.count() == before


def test_duplicate_code_is_refused(world):
    with pytest.raises(DomainError) as err:
        s.area_create(
            actor=None, code="141126100001", name="重复", level="community", parent=world.lingquan
        )
    assert err.value.code == "duplicate_code"
    assert err.value.detail["field"] == "code"


def test_malformed_code_is_refused(world):
    with pytest.raises(DomainError) as err:
        s.area_create(
            actor=None, code="1411261x0002", name="坏", level="community", parent=world.lingquan
        )
    assert err.value.code == "invalid_code"


def test_malformed_polygon_is_refused_with_field(world):
    with pytest.raises(DomainError) as err:
        s.area_create(
            actor=None,
            code="141126100002",
            name="新社区",
            level="community",
            parent=world.lingquan,
            polygon={"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]},
        )
    assert err.value.code == "invalid_polygon"
    assert err.value.detail["field"] == "polygon"
    assert not Area.objects.filter(code="141126100002").exists()


def test_move_rewrites_the_whole_subtree(world):
    # given a second community under 罗村镇
    other = s.area_create(
        actor=None, code="141126101001", name="罗村社区", level="community", parent=world.luocun
    )
    # when the large grid moves there
    s.area_move(actor=None, area=world.grid1, new_parent=other)
    # then every descendant points at the new ancestors
    for node in Area.objects.filter(grid1=world.grid1.pk):
        assert node.community_id == other.pk
        assert node.township_id == world.luocun.pk
        assert node.county_id == world.county.pk
    assert Area.objects.get(pk=world.grid1.pk).parent_id == other.pk
    assert selectors.area_level_counts(area=world.xiaozhen) == {}
    assert selectors.area_level_counts(area=other) == {"grid1": 1, "grid2": 1, "grid3": 2}
    assert AuditEvent.objects.filter(action="area.move", object_id=str(world.grid1.pk)).exists()


def test_move_rewrites_the_area_copies_on_cases(world, catalogue):
    from grassroots.cases.models import Case
    from grassroots.cases.services import Intake, case_intake

    case, _ = case_intake(
        actor=None,
        intake=Intake(
            matter="M001", channel="hotline", description="路灯不亮", area=world.grid3a.pk
        ),
    )
    assert (case.community, case.grid1, case.grid3) == (
        world.xiaozhen.pk,
        world.grid1.pk,
        world.grid3a.pk,
    )
    other = s.area_create(
        actor=None, code="141126101001", name="罗村社区", level="community", parent=world.luocun
    )
    s.area_move(actor=None, area=world.grid1, new_parent=other)
    case.refresh_from_db()
    assert (case.county, case.township, case.community) == (
        world.county.pk,
        world.luocun.pk,
        other.pk,
    )
    assert Case.objects.filter(other.subtree_q()).count() == 1
    assert Case.objects.filter(world.xiaozhen.subtree_q()).count() == 0


def test_move_under_own_descendant_is_a_cycle(world):
    with pytest.raises(DomainError) as err:
        s.area_move(actor=None, area=world.grid1, new_parent=world.grid2)
    assert err.value.code == "cycle"


def test_move_to_wrong_level_is_refused(world):
    with pytest.raises(DomainError) as err:
        s.area_move(actor=None, area=world.grid1, new_parent=world.lingquan)
    assert err.value.code == "wrong_level"
    assert Area.objects.get(pk=world.grid1.pk).parent_id == world.xiaozhen.pk


def test_delete_refuses_a_node_with_children(world):
    with pytest.raises(DomainError) as err:
        s.area_delete(actor=None, area=world.grid2)
    assert err.value.code == "has_children"


def test_delete_a_leaf(world):
    s.area_delete(actor=None, area=world.grid3b)
    assert not Area.objects.filter(pk=world.grid3b.pk).exists()


def test_subtree_and_ancestors_are_one_query_each(world):
    with CaptureQueriesContext(connection) as q:
        ids = set(Area.objects.filter(world.lingquan.subtree_q()).values_list("pk", flat=True))
    assert len(q) == 1
    assert world.grid3a.pk in ids and world.luocun_grid3.pk not in ids
    with CaptureQueriesContext(connection) as q:
        names = [a.name for a in selectors.area_ancestors(world.grid3a)]
    assert len(q) == 1
    assert names == ["石楼县", "灵泉镇", "石楼小镇社区", "一网格", "一网格1组"]


def test_child_counts_do_not_walk_the_tree(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = selectors.area_children(area=world.county)
    by_name = {r.area.name: r.counts for r in rows}
    assert by_name["灵泉镇"] == {
        "township": 1,
        "community": 1,
        "village": 1,
        "grid1": 1,
        "grid2": 1,
        "grid3": 2,
    }
    assert by_name["罗村镇"]["grid3"] == 1


def test_subtree_query_uses_an_index(world):
    qs = Area.objects.filter(world.lingquan.subtree_q()).values("pk")
    if connection.vendor == "sqlite":
        plan = qs.explain()
        assert "USING" in plan and "INDEX" in plan.upper()
    else:
        with transaction.atomic(), connection.cursor() as cur:
            # the table is tiny here; forbid the sequential scan to see which index serves
            cur.execute("SET LOCAL enable_seqscan = off")
            plan = qs.explain()
        assert "area_township_level" in plan


def _rows(*specs):
    return [
        s.AreaRow(line=i, code=c, name=n, level=lv, parent_code=p, polygon=poly)
        for i, (c, n, lv, p, poly) in enumerate(specs, start=2)
    ]


def test_import_builds_a_subtree_under_an_existing_node(world):
    rows = _rows(
        ("141126100002", "新社区", "community", "141126100000", square(110.7, 36.9)),
        ("14112610000201", "新一网格", "grid1", "141126100002", None),
        ("1411261000020101", "新小网格", "grid2", "14112610000201", None),
        ("1411261000020101001", "新微网格", "grid3", "1411261000020101", None),
    )
    assert s.area_import(actor=None, rows=rows) == 4
    leaf = Area.objects.get(code="1411261000020101001")
    assert leaf.township_id == world.lingquan.pk
    assert leaf.grid3_id == leaf.pk
    assert Area.objects.get(code="141126100002").min_lon == pytest.approx(110.7)


def test_import_is_all_or_nothing_and_names_every_row(world):
    before = Area.objects.count()
    rows = _rows(
        ("141126100003", "好社区", "community", "141126100000", None),  # row 2: fine
        ("141126100003", "重复", "community", "141126100000", None),  # row 3: duplicate in file
        ("141126100001", "已有", "community", "141126100000", None),  # row 4: exists already
        ("14112610000301", "无父", "grid1", "999999999999", None),  # row 5: unknown parent
        ("14112610000302", "错层", "grid2", "141126100003", None),  # row 6: wrong level
        ("141126100004", "坏边界", "community", "141126100000", {"type": "Polygon"}),  # row 7
    )
    with pytest.raises(DomainError) as err:
        s.area_import(actor=None, rows=rows)
    found = {(e["row"], e["field"]) for e in err.value.detail["errors"]}
    assert found == {
        (3, "code"),
        (4, "code"),
        (5, "parent_code"),
        (6, "level"),
        (7, "polygon"),
    }
    assert Area.objects.count() == before
