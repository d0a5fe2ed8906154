"""三员分立 and own posts, enforced in `post_create` whatever the entry point (SECURITY.md 6).

The reported cases: secadmin gave itself a township post through /admin/areas/post/add/ (then
revealed a full ID number), and made auditor a security admin through the same form.
"""

from __future__ import annotations

import datetime

import pytest

from grassroots.areas import services as area_services
from grassroots.areas.models import Post, PostType
from grassroots.areas.scope import scope_for
from grassroots.core.errors import DomainError
from grassroots.core.models import AuditEvent, User
from grassroots.core.roles import Role
from tests.conftest import signed_in

TODAY = datetime.date(2026, 1, 5)


def ptype(code: str) -> PostType:
    return PostType.objects.get(code=code)


def give(actor, person, code, *, area=None, unit=None):
    return area_services.post_create(
        actor=actor, person=person, post_type=ptype(code), area=area, unit=unit, started_on=TODAY
    )


def admin_add(client, **fields):
    return client.post("/admin/areas/post/add/", {"title": "", **fields})


# --- the service (what every entry point calls) ---------------------------------------------


@pytest.mark.parametrize(
    ("person", "code", "error"),
    [
        ("auditor", "security_admin", "admin_roles_combined"),
        ("admin", "auditor", "admin_roles_combined"),
        ("secadmin", "system_admin", "admin_roles_combined"),
        ("secadmin", "township_officer", "admin_business_mixed"),
        ("auditor", "grid3_worker", "admin_business_mixed"),
        ("township", "security_admin", "admin_business_mixed"),
        ("leader", "auditor", "admin_business_mixed"),
    ],
)
def test_service_refuses_stacked_admin_roles_and_mixed_posts(world, person, code, error):
    # given: the system itself (a command, the demo loader, an import) assigns the post
    with pytest.raises(DomainError) as err:
        give(None, world.users[person], code, area=world.county)
    # then
    assert err.value.code == error
    assert err.value.detail["field"] == "post_type"
    assert Post.objects.filter(person=world.users[person]).count() == 1


def test_business_posts_still_combine(world):
    # 多员合一: a community secretary may also be a grid worker
    post = give(None, world.users["community"], "grid3_worker", area=world.grid3b)
    assert post.pk and scope_for(world.users["community"]).covers_area("view_people", world.grid3b)


def test_an_ended_post_no_longer_counts(world):
    # given: the auditor's post ended yesterday
    auditor = world.users["auditor"]
    area_services.post_end(actor=None, post=auditor.posts.get(), ended_on=TODAY)
    # when: from today the person becomes a security admin
    post = give(None, auditor, "security_admin", area=world.county)
    # then
    assert post.post_type.role == Role.SECURITY_ADMIN


def test_secadmin_cannot_give_itself_a_post(world):
    secadmin = world.users["secadmin"]
    with pytest.raises(DomainError) as err:
        give(secadmin, secadmin, "security_admin", area=world.county)
    assert err.value.status == 403 and err.value.code == "own_posts"


def test_secadmin_cannot_end_its_own_post(world):
    secadmin = world.users["secadmin"]
    with pytest.raises(DomainError) as err:
        area_services.post_end(actor=secadmin, post=secadmin.posts.get(), ended_on=TODAY)
    assert err.value.status == 403
    assert secadmin.posts.get().ended_on is None


def test_post_outside_the_admins_scope_is_not_found(world):
    # given: a security admin of 罗村镇 only
    local = User.objects.create(username="localsec", full_name="罗村安全员")
    give(None, local, "security_admin", area=world.luocun)
    newbie = User.objects.create(username="newbie", full_name="新人")
    give(None, newbie, "grid3_worker", area=world.luocun_grid3)
    # when: they give their own person a post in 灵泉镇
    with pytest.raises(DomainError) as err:
        give(local, newbie, "grid3_worker", area=world.grid3a)
    assert err.value.status == 404
    # and a person outside their scope is not found either
    with pytest.raises(DomainError) as err:
        give(local, world.users["gridworker"], "grid3_worker", area=world.luocun_grid3)
    assert err.value.status == 404


def test_other_roles_cannot_assign_posts(world):
    with pytest.raises(DomainError) as err:
        give(world.users["admin"], world.users["nobody"], "grid3_worker", area=world.grid3a)
    assert err.value.status == 403


def test_post_type_role_cannot_change_while_held(world):
    # the security admin's own post type turned into a business role would hand it the role
    with pytest.raises(DomainError) as err:
        area_services.post_type_define(
            actor=None,
            code="security_admin",
            name="x",
            role=Role.TOWNSHIP_STAFF,
            duties=["x"],
        )
    assert err.value.code == "post_type_in_use"
    assert ptype("security_admin").role == Role.SECURITY_ADMIN


# --- Django admin's add form (the reported entry point) --------------------------------------


def test_reported_case_secadmin_adds_a_township_post_to_itself_in_admin(world, registry, api):
    secadmin = world.users["secadmin"]
    client = signed_in("secadmin")
    resp = admin_add(
        client,
        person=secadmin.pk,
        post_type=ptype("township_officer").pk,
        area=world.lingquan.pk,
        started_on="2026-01-05",
    )
    # the form comes back with the refusal; no post was made
    assert resp.status_code == 200
    assert "不能给自己设置或结束岗位" in resp.content.decode()
    assert list(secadmin.posts.values_list("post_type__code", flat=True)) == ["security_admin"]
    # and so the reveal it then made is refused
    api_resp = api("secadmin").post(
        f"/api/v1/residents/{registry.father.pk}/reveal/",
        {"field": "id_number", "purpose": "核对"},
        format="json",
    )
    assert api_resp.status_code == 403


def test_reported_case_secadmin_makes_auditor_a_security_admin_in_admin(world):
    auditor = world.users["auditor"]
    resp = admin_add(
        signed_in("secadmin"),
        person=auditor.pk,
        post_type=ptype("security_admin").pk,
        area=world.county.pk,
        started_on="2026-01-05",
    )
    assert resp.status_code == 200
    assert "三者不能由同一人兼任" in resp.content.decode()
    assert list(auditor.posts.values_list("post_type__role", flat=True)) == [Role.AUDITOR]


def test_admin_add_form_still_creates_a_valid_post(world):
    resp = admin_add(
        signed_in("secadmin"),
        person=world.users["nobody"].pk,
        post_type=ptype("grid3_worker").pk,
        area=world.grid3b.pk,
        started_on="2026-01-05",
    )
    assert resp.status_code == 302
    post = world.users["nobody"].posts.get()
    assert post.area == world.grid3b
    assert AuditEvent.objects.filter(action="post.create", object_id=str(post.pk)).exists()


def test_admin_end_action_refuses_own_post(world):
    secadmin = world.users["secadmin"]
    client = signed_in("secadmin")
    resp = client.post(
        "/admin/areas/post/",
        {"action": "end_today", "_selected_action": [secadmin.posts.get().pk]},
        follow=True,
    )
    assert resp.status_code == 200
    assert secadmin.posts.get().ended_on is None


# --- the API ----------------------------------------------------------------------------------


def test_reported_cases_through_the_api(world, api):
    client = api("secadmin")
    own = client.post(
        f"/api/v1/accounts/{world.users['secadmin'].pk}/posts/",
        {"post_type": "township_officer", "area": world.lingquan.pk},
        format="json",
    )
    assert own.status_code == 403
    assert own.json()["code"] == "own_posts"
    stack = client.post(
        f"/api/v1/accounts/{world.users['auditor'].pk}/posts/",
        {"post_type": "security_admin", "area": world.county.pk},
        format="json",
    )
    assert stack.status_code == 400
    assert stack.json()["code"] == "admin_roles_combined"
    assert world.users["auditor"].posts.count() == 1


def test_a_command_path_obeys_the_rules_too(world):
    # Open311 key issue makes an API-client account with a post; the demo loader calls the same.
    from grassroots.open311.services import apikey_issue

    key, _raw = apikey_issue(actor=None, name="微信公众号")
    with pytest.raises(DomainError) as err:
        give(None, key.account, "security_admin", area=world.county)
    assert err.value.code == "admin_business_mixed"


# --- the command ------------------------------------------------------------------------------


def test_command_opens_an_account_with_its_first_post(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "account-open",
        "zhaoliu",
        name="赵六",
        post_type="security_admin",
        area=world.county.code,
        stdout=out,
    )
    user = User.objects.get(username="zhaoliu")
    assert user.check_password(out.getvalue().strip()) and user.must_change_password
    assert user.posts.get().post_type.role == Role.SECURITY_ADMIN
    assert AuditEvent.objects.filter(source="command:account-open", action="post.create").exists()


def test_command_refuses_bad_input_and_writes_nothing(world):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("account-open", "auditor", name="重复")  # the username exists
    with pytest.raises(CommandError):
        call_command(
            "account-open", "newbie2", name="新人", post_type="nope", area=world.county.code
        )
    with pytest.raises(CommandError):  # a post needs an area or a unit: the account is undone
        call_command("account-open", "newbie3", name="新人", post_type="grid3_worker")
    assert not User.objects.filter(username__in=["newbie2", "newbie3"]).exists()
