"""Managing the tree and units asks the scope: in scope → done, out of scope → 404, no role → 403.

`localadmin` is a system administrator of 罗村镇 only; 灵泉镇 and its subtree lie outside.
"""

import pytest
from django.utils import timezone

from grassroots.areas import services
from grassroots.areas.models import Area, PostType, Unit
from grassroots.core.errors import DomainError
from grassroots.core.models import AuditEvent, User
from tests.conftest import PASSWORD, signed_in


@pytest.fixture
def localadmin(world) -> User:
    """A system administrator of 罗村镇 only."""
    user = User.objects.create(username="localadmin", full_name="罗村管理员")
    user.set_password(PASSWORD)
    user.save()
    services.post_create(
        actor=None,
        person=user,
        post_type=PostType.objects.get(code="system_admin"),
        area=world.luocun,
        started_on=timezone.localdate(),
    )
    return User.objects.get(pk=user.pk)


def refused(call) -> DomainError:
    with pytest.raises(DomainError) as err:
        call()
    return err.value


# --- the services --------------------------------------------------------------------------------


def test_in_scope_management_is_done(world, localadmin):
    # given a node inside 罗村镇
    village = Area.objects.get(pk=world.luocun_village.pk)
    # when the local admin renames it, adds a grid under it and a unit for it
    services.area_update(actor=localadmin, area=village, name="罗村（新）")
    grid = services.area_create(
        actor=localadmin, code="14112610120102", name="罗村二网格", level="grid1", parent=village
    )
    unit = services.unit_create(
        actor=localadmin, code="S09", name="罗村服务站", level="community", area=village
    )
    services.unit_update(actor=localadmin, unit=unit, name="罗村党群服务站")
    services.area_delete(actor=localadmin, area=grid)
    # then every change is made and audited under the actor's name
    assert Area.objects.get(pk=village.pk).name == "罗村（新）"
    assert Unit.objects.get(pk=unit.pk).name == "罗村党群服务站"
    assert not Area.objects.filter(pk=grid.pk).exists()
    actions = set(
        AuditEvent.objects.filter(actor_name="localadmin").values_list("action", flat=True)
    )
    assert {"area.update", "area.create", "area.delete", "unit.create", "unit.update"} <= actions


def test_out_of_scope_area_management_is_not_found(world, localadmin):
    community = Area.objects.get(pk=world.xiaozhen.pk)  # under 灵泉镇, outside 罗村镇
    calls = [
        lambda: services.area_update(actor=localadmin, area=community, name="改名"),
        lambda: services.area_create(
            actor=localadmin, code="14112610000102", name="新网格", level="grid1", parent=community
        ),
        lambda: services.area_delete(actor=localadmin, area=Area.objects.get(pk=world.grid3b.pk)),
        lambda: services.unit_create(
            actor=localadmin, code="S09", name="服务站", level="community", area=community
        ),
        lambda: services.unit_update(
            actor=localadmin, unit=Unit.objects.get(pk=world.xiaozhen_station.pk), name="改名"
        ),
    ]
    for call in calls:
        err = refused(call)
        assert (err.status, err.code) == (404, "not_found")
    assert Area.objects.get(pk=community.pk).name == "石楼小镇社区"
    assert Area.objects.filter(pk=world.grid3b.pk).exists()
    assert not Unit.objects.filter(code="S09").exists()
    assert Unit.objects.get(pk=world.xiaozhen_station.pk).name == "石楼小镇社区党群服务站"


def test_moving_into_or_out_of_scope_is_not_found(world, localadmin):
    grid = Area.objects.get(pk=world.luocun_grid3.pk)
    outside_parent = Area.objects.get(pk=world.grid2.pk)  # a small grid under 灵泉镇
    err = refused(
        lambda: services.area_move(actor=localadmin, area=grid, new_parent=outside_parent)
    )
    assert (err.status, err.code) == (404, "not_found")
    outside = Area.objects.get(pk=world.grid3a.pk)
    inside_parent = Area.objects.get(pk=grid.parent_id)
    err = refused(
        lambda: services.area_move(actor=localadmin, area=outside, new_parent=inside_parent)
    )
    assert (err.status, err.code) == (404, "not_found")
    assert Area.objects.get(pk=grid.pk).parent_id == inside_parent.pk
    assert Area.objects.get(pk=outside.pk).parent_id == world.grid2.pk


@pytest.mark.parametrize("persona", ["leader", "secadmin", "nobody"])
def test_management_without_the_role_is_forbidden(world, persona):
    actor = User.objects.get(username=persona)
    village = Area.objects.get(pk=world.luocun_village.pk)
    err = refused(lambda: services.area_update(actor=actor, area=village, name="改名"))
    assert (err.status, err.code) == (403, "forbidden")
    err = refused(
        lambda: services.unit_create(
            actor=actor, code="S09", name="服务站", level="community", area=village
        )
    )
    assert (err.status, err.code) == (403, "forbidden")
    assert Area.objects.get(pk=village.pk).name == "罗村"


def test_import_under_an_out_of_scope_parent_names_the_row(world, localadmin):
    rows = [
        services.AreaRow(
            line=2,
            code="14112610000102",
            name="新网格",
            level="grid1",
            parent_code=world.xiaozhen.code,
        )
    ]
    err = refused(lambda: services.area_import(actor=localadmin, rows=rows))
    assert (err.status, err.code) == (400, "import_invalid")
    assert err.detail["errors"][0]["field"] == "parent_code"
    assert not Area.objects.filter(code="14112610000102").exists()


# --- over HTTP (the configuration site is where areas and units are edited) ----------------------


def _change_area(client, area: Area, name: str):
    return client.post(
        f"/admin/areas/area/{area.pk}/change/",
        {
            "name": name,
            "parent": area.parent_id or "",
            "polygon": "null",
            "centre_lon": "",
            "centre_lat": "",
        },
    )


def test_admin_edit_in_scope_is_saved(world, localadmin):
    resp = _change_area(signed_in("localadmin"), world.luocun_village, "罗村（新）")
    assert resp.status_code == 302, resp.content.decode()[:2000]
    assert Area.objects.get(pk=world.luocun_village.pk).name == "罗村（新）"


def test_admin_edit_out_of_scope_is_404(world, localadmin):
    resp = _change_area(signed_in("localadmin"), world.xiaozhen, "改名")
    assert resp.status_code == 404
    assert Area.objects.get(pk=world.xiaozhen.pk).name == "石楼小镇社区"


def test_admin_edit_without_the_role_is_403(world):
    resp = _change_area(signed_in("secadmin"), world.luocun_village, "改名")
    assert resp.status_code == 403
    assert Area.objects.get(pk=world.luocun_village.pk).name == "罗村"
