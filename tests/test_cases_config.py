"""Configuring cases: matters in the admin (audited), calendar corrections, the sweep command."""

import datetime
import zoneinfo

import time_machine
from django.core.management import call_command

from grassroots.cases import catalogue as config
from grassroots.cases import sla
from grassroots.cases.models import Matter
from grassroots.cases.services import Intake, case_intake
from grassroots.core.models import AuditEvent
from tests.conftest import signed_in

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_admin_defines_a_matter_through_the_service(world):
    resp = signed_in("admin").post(
        "/admin/cases/matter/add/",
        {
            "code": "M100",
            "name": "井盖缺失",
            "category": "公共设施",
            "keywords": "井盖 窨井",
            "unit": world.civil.pk,
            "level": "community",
            "response_amount": "2",
            "response_unit": "calendar_hours",
            "resolution_amount": "1",
            "resolution_unit": "working_days",
            "materials": "[]",
            "description": "",
            "public": "on",
            "escalate_when_overdue": "on",
            "active": "on",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:3000]
    matter = Matter.objects.get(code="M100")
    assert matter.pinyin.startswith("jgqs")
    assert AuditEvent.objects.filter(action="matter.define", actor_name="admin").exists()


def test_working_day_limits_must_be_whole(world):
    resp = signed_in("admin").post(
        "/admin/cases/matter/add/",
        {
            "code": "M101",
            "name": "测试",
            "category": "x",
            "unit": world.civil.pk,
            "level": "county",
            "response_amount": "1",
            "response_unit": "working_hours",
            "resolution_amount": "2.5",
            "resolution_unit": "working_days",
            "materials": "[]",
        },
    )
    assert resp.status_code == 200 and not Matter.objects.filter(code="M101").exists()


def test_a_calendar_correction_moves_due_times(world, catalogue):
    start = datetime.datetime(2026, 12, 31, 9, 0, tzinfo=SHANGHAI)  # Thursday
    with time_machine.travel(start, tick=False):
        before = case_intake(
            actor=None,
            intake=Intake(
                matter="M001", channel="hotline", description="路灯", area=world.grid3a.pk
            ),
        )[0]
    assert sla.calendar().warnings(datetime.date(2026, 11, 27))  # 2027 not entered yet
    catalogue_day = datetime.date(2027, 1, 4)  # Monday made a holiday by the admin
    config.calendar_set_day(actor=None, date=catalogue_day, is_workday=False, note="测试")
    with time_machine.travel(start, tick=False):
        after = case_intake(
            actor=None,
            intake=Intake(
                matter="M001", channel="hotline", description="路灯2", area=world.grid3a.pk
            ),
        )[0]
    assert after.resolution_due > before.resolution_due
    config.calendar_mark_year(actor=None, year=2027)
    assert not any("2027" in w for w in sla.calendar().warnings(datetime.date(2026, 11, 27)))


def test_sweep_command(world, catalogue, capsys):
    call_command("sweep")
    assert "checked 0" in capsys.readouterr().out
