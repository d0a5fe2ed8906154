"""Helpers for the disputes tests: a screening through the real service, a county mediator."""

from __future__ import annotations

import datetime

from django.utils import timezone

from grassroots.areas import services as area_services
from grassroots.areas.models import PostType
from grassroots.core.roles import Role
from grassroots.core.services import account_create
from grassroots.disputes import services
from grassroots.disputes.effects import Session
from tests.conftest import PASSWORD, START


def screen(actor, area, *, kind="neighbour", parties=None, found_via="patrol", **kw):
    """A dispute screened by `actor` in `area` with two outsider parties unless given."""
    parties = parties or (
        services.PartyIn(role="applicant", name="甲方", phone="13600001111"),
        services.PartyIn(role="respondent", name="乙方"),
    )
    return services.dispute_screen(
        actor=actor,
        screening=services.Screening(
            area=area.pk,
            kind=kind,
            summary="楼上漏水，邻里争执",
            found_via=found_via,
            found_on=kw.pop("found_on", timezone.localdate()),
            parties=tuple(parties),
            **kw,
        ),
    )


def session(outcome="settled", agreement="双方同意赔偿 500 元", **kw):
    return Session(
        held_on=kw.pop("held_on", timezone.localdate()),
        mediators=kw.pop("mediators", [{"name": "老张", "kind": "sage"}]),
        outcome=outcome,
        agreement_text=agreement,
        **kw,
    )


def county_mediator(world):
    """A county 矛调中心 mediator: a post holding HANDLE_DISPUTES over the whole county."""
    ptype = PostType.objects.filter(code="county_mediator").first() or (
        area_services.post_type_define(
            actor=None,
            code="county_mediator",
            name="县矛调中心",
            role=Role.TOWNSHIP_STAFF,
            duties=["调解"],
        )
    )
    user = account_create(actor=None, username="countymed", full_name="县调解员", password=PASSWORD)
    area_services.post_create(
        actor=None, person=user, post_type=ptype, area=world.county, started_on=START
    )
    return user


YESTERDAY = datetime.timedelta(days=1)
