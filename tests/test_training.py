"""Training (领头雁): sessions, enrolment from the registry, roll call, coverage and its figures,
through the services and the API."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from grassroots.core.models import AuditEvent
from grassroots.figures import counts, registry
from grassroots.figures.states import states_refresh, states_verify
from grassroots.training import selectors, services
from grassroots.training.errors import TrainingError
from grassroots.training.models import Enrolment, Session
from tests.conftest import signed_in
from tests.training_support import scene, session

API = "/api/v1"
pytestmark = pytest.mark.django_db


def _present(s: Session, *cadres, hours=None) -> None:
    rows = [{"cadre": c.pk, "status": "present", "hours": hours} for c in cadres]
    services.attendance_record(actor=None, session=s, rows=rows)


def _figures(area) -> dict[str, int]:
    names = (
        "training_sessions",
        "training_person_times",
        "training_hours",
        "training_secretaries",
        "training_secretaries_covered",
        "training_short_of_hours",
    )
    year = timezone.localdate().year
    figs = [registry.figure(n) for n in names]
    return counts.figure_counts(
        figs, area=area, start=datetime.date(year, 1, 1), end=datetime.date(year + 1, 1, 1)
    )


def test_enrolment_takes_the_target_group_from_the_registry_in_one_action(world, registry) -> None:
    sc = scene(world, registry)
    secretaries = session(world, target="secretaries")
    committees = session(world, target="two_committees", area=world.lingquan, day=12)
    assert services.enrol_target_group(actor=None, session=secretaries) == 2
    assert services.enrol_target_group(actor=None, session=committees) == 2
    # a second time adds no one
    assert services.enrol_target_group(actor=None, session=secretaries) == 0
    assert set(secretaries.enrolments.values_list("cadre_id", flat=True)) == {
        sc.hjy_secretary.pk,
        sc.luocun_secretary.pk,
    }
    assert set(committees.enrolments.values_list("cadre_id", flat=True)) == {
        sc.hjy_secretary.pk,
        sc.hjy_member.pk,
    }


def test_a_session_ending_before_it_starts_is_refused_naming_the_field(world, api) -> None:
    body = {
        "area": world.county.pk,
        "title": "培训",
        "theme": "基层治理",
        "mode": "thematic",
        "delivery": "online",
        "starts_on": "2026-03-10",
        "ends_on": "2026-03-09",
        "hours": 8,
        "organiser": "县委组织部",
        "target": "secretaries",
        "venue": "网络学院",
    }
    resp = api("orgdept").post(f"{API}/training-sessions/", body, format="json")
    assert resp.status_code == 400
    assert resp.json()["code"] == "ends_before_start"
    assert resp.json()["detail"]["field"] == "ends_on"
    assert not Session.objects.exists()


def test_bad_roll_call_rows_are_refused_by_row_and_nothing_is_written(world, registry, api) -> None:
    sc = scene(world, registry)
    s = session(world, hours=16)
    services.enrol_target_group(actor=None, session=s)
    url = f"{API}/training-sessions/{s.pk}/attendance/"
    client = api("orgdept")
    # the member is not enrolled in a secretaries' session
    rows = [
        {"cadre": sc.hjy_secretary.pk, "status": "present"},
        {"cadre": sc.hjy_member.pk, "status": "present"},
    ]
    resp = client.post(url, {"rows": rows}, format="json")
    assert resp.status_code == 400
    assert resp.json()["code"] == "not_enrolled"
    assert resp.json()["detail"] == {"field": "cadre", "row": 1}
    # more hours than the session has
    rows = [{"cadre": sc.hjy_secretary.pk, "status": "present", "hours": 17}]
    resp = client.post(url, {"rows": rows}, format="json")
    assert resp.json()["code"] == "hours_exceed_session"
    assert resp.json()["detail"] == {"field": "hours", "row": 0}
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"enrolled"}
    # a good roll call: present gets the session's hours, leave none
    rows = [
        {"cadre": sc.hjy_secretary.pk, "status": "present"},
        {"cadre": sc.luocun_secretary.pk, "status": "leave", "hours": 16},
    ]
    assert client.post(url, {"rows": rows}, format="json").json() == {"recorded": 2}
    got = dict(Enrolment.objects.values_list("cadre_id", "hours"))
    assert got == {sc.hjy_secretary.pk: 16, sc.luocun_secretary.pk: 0}
    assert AuditEvent.objects.filter(action="training.attendance").count() == 1


def test_a_secretary_removed_from_every_session_drops_coverage_and_is_listed(
    world, registry, api
) -> None:
    sc = scene(world, registry)
    first, second = session(world, hours=16), session(world, hours=8, day=20)
    for s in (first, second):
        services.enrol_target_group(actor=None, session=s)
        _present(s, sc.hjy_secretary, sc.luocun_secretary)
    call_command("refresh-figures")
    got = _figures(world.county)
    assert got["training_sessions"] == 2 and got["training_person_times"] == 4
    assert got["training_hours"] == 48
    assert got["training_secretaries"] == got["training_secretaries_covered"] == 2
    body = api("orgdept").get(f"{API}/training-coverage/").json()
    assert [t["share"] for t in body["townships"]] == [100.0, 100.0]
    assert body["not_covered"] == []
    # when: 罗村's secretary is taken off every session
    for s in (first, second):
        services.enrol_remove(actor=None, session=s, cadre_id=sc.luocun_secretary.pk)
    # then: coverage is below 100% and the secretary is on the not-covered list
    states_refresh()
    counts.counts_refresh()
    got = _figures(world.county)
    assert got["training_secretaries_covered"] == 1 and got["training_secretaries"] == 2
    assert got["training_person_times"] == 2
    assert all(not c.differences and not c.lag for c in states_verify())
    body = api("orgdept").get(f"{API}/training-coverage/").json()
    shares = {t["township"]: t["share"] for t in body["townships"]}
    assert shares == {"灵泉镇": 100.0, "罗村镇": 0.0}
    assert [m["cadre"] for m in body["not_covered"]] == [sc.luocun_secretary.pk]
    page = signed_in("orgdept").get("/training/")
    assert page.status_code == 200
    assert page.context["secretary_share"] == 50.0
    assert [m["cadre"].pk for m in page.context["not_covered"]] == [sc.luocun_secretary.pk]


def test_each_figure_links_to_exactly_its_rows(world, registry, api) -> None:
    sc = scene(world, registry)
    s = session(world, hours=12)
    services.enrol_target_group(actor=None, session=s)
    _present(s, sc.hjy_secretary, hours=10)
    call_command("refresh-figures")
    browser = signed_in("orgdept")
    page = browser.get("/training/")
    for name, fig in page.context["figures"].items():
        rows = browser.get(fig["link"])
        assert rows.status_code == 200, name
        listed = rows.context["page_obj"].paginator.object_list
        if name == "training_hours":
            assert sum(e.hours for e in listed) == fig["value"] == 10
        else:
            assert rows.context["count"] == fig["value"], name


def test_township_sees_its_own_villages_rows_and_cannot_organise_for_the_county(
    world, registry, api
) -> None:
    sc = scene(world, registry)
    s = session(world)
    services.enrol_target_group(actor=None, session=s)
    roll = api("township").get(f"{API}/training-sessions/{s.pk}/").json()["roll"]
    assert [r["cadre"] for r in roll] == [sc.hjy_secretary.pk]
    assert len(api("orgdept").get(f"{API}/training-sessions/{s.pk}/").json()["roll"]) == 2
    assert api("gridworker").get(f"{API}/training-sessions/").status_code == 403
    resp = api("township").post(f"{API}/training-sessions/{s.pk}/enrol/")
    assert resp.status_code == 404
    assert api("leader").post(f"{API}/training-sessions/{s.pk}/enrol/").status_code == 403
    # a township runs its own sessions
    own = session(world, area=world.lingquan, target="two_committees")
    resp = api("township").post(f"{API}/training-sessions/{own.pk}/enrol/")
    assert resp.json() == {"added": 2}


def test_hours_short_of_the_requirement_are_counted(world, registry, settings) -> None:
    settings.TRAINING_REQUIRED_HOURS = 20
    sc = scene(world, registry)
    s = session(world, hours=16, target="two_committees")
    services.enrol_target_group(actor=None, session=s)
    _present(s, sc.hjy_secretary, sc.luocun_secretary, sc.hjy_member)
    rows = selectors.coverage_rows(actor=world.users["orgdept"])
    assert sum(r["hours"] < r["required"] for r in rows) == 3
    with pytest.raises(TrainingError) as exc:
        services.attendance_record(
            actor=None, session=s, rows=[{"cadre": "x", "status": "present"}]
        )
    assert exc.value.detail == {"field": "cadre", "row": 0}


def test_the_roll_call_page_records_attendance_all_or_nothing(world, registry) -> None:
    sc = scene(world, registry)
    s = session(world, hours=8)
    services.enrol_target_group(actor=None, session=s)
    browser = signed_in("orgdept")
    page = browser.get(f"/training/sessions/{s.pk}/")
    assert page.status_code == 200 and page.context["can_call"]
    a, b = sc.hjy_secretary.resident_id, sc.luocun_secretary.resident_id
    form = {"person": [a, b], f"status-{a}": "present", f"status-{b}": "present", f"hours-{b}": 9}
    resp = browser.post(f"/training/sessions/{s.pk}/roll-call/", form)
    assert resp.status_code == 400 and "hours" in resp.context["error"]
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"enrolled"}
    form[f"hours-{b}"] = 4
    resp = browser.post(f"/training/sessions/{s.pk}/roll-call/", form)
    assert resp.status_code == 302
    assert dict(Enrolment.objects.values_list("resident_id", "hours")) == {a: 8, b: 4}
    # the township sees the county's session, but does not call its roll
    township = signed_in("township")
    assert township.get(f"/training/sessions/{s.pk}/").context["can_call"] is False
    assert township.post(f"/training/sessions/{s.pk}/roll-call/", form).status_code == 404


def test_the_appraisal_prefills_a_cadres_training_hours_against_the_requirement(
    world, registry, settings
) -> None:
    from grassroots.cadres import services as cadre_services
    from grassroots.cadres import workflow
    from grassroots.cadres.models import Appraisal

    settings.TRAINING_REQUIRED_HOURS = 24
    sc = scene(world, registry)
    s = session(world, hours=16)
    services.enrol_target_group(actor=None, session=s)
    _present(s, sc.hjy_secretary)  # 16 of 24 hours; 罗村's secretary enrolled but absent
    year = timezone.localdate().year
    township = [
        {"code": "tasks", "name": "重点任务完成", "weight": 70},
        {"code": "learning", "name": "学习培训", "weight": 30, "measure": "training_hours"},
    ]
    cadre_services.scheme_set(actor=None, year=year, config={"township": township})
    ours = workflow.appraisal_open(actor=None, cadre=sc.hjy_secretary, year=year, period="annual")
    theirs = workflow.appraisal_open(
        actor=None, cadre=sc.luocun_secretary, year=year, period="annual"
    )
    assert workflow.appraisal_prefill(actor=None, appraisal=ours) == {"learning": "66.67"}
    assert workflow.appraisal_prefill(actor=None, appraisal=theirs) == {"learning": "0.00"}
    assert Appraisal.objects.get(pk=ours.pk).inputs["township"] == {"learning": "66.67"}
    # more hours than required score 100, never more
    more = session(world, hours=16, day=20)
    services.enrol_target_group(actor=None, session=more)
    _present(more, sc.hjy_secretary)
    assert workflow.appraisal_prefill(actor=None, appraisal=ours) == {"learning": "100.00"}


def test_a_completion_certificate_prints_for_those_present_only_and_in_scope(
    world, registry
) -> None:
    from pathlib import Path

    import grassroots.training

    sc = scene(world, registry)
    s = session(world, hours=16)
    services.enrol_target_group(actor=None, session=s)
    _present(s, sc.hjy_secretary, sc.luocun_secretary)
    ours = Enrolment.objects.get(session=s, cadre=sc.hjy_secretary)
    theirs = Enrolment.objects.get(session=s, cadre=sc.luocun_secretary)
    township = signed_in("township")  # 灵泉镇: 胡家峪村 is its own, 罗村 is not
    page = township.get(f"/training/certificates/{ours.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert sc.hjy_secretary.resident.name in html and "16" in html and s.title in html
    assert f"{s.starts_on.year}-{s.pk:04d}-{ours.pk:06d}" in html
    assert "training/certificate.css" in html
    head = html.split("<body")[0]
    assert "//" not in head  # no CDN: the style sheet and script are our own static files
    css = Path(grassroots.training.__file__).parent / "static/training/certificate.css"
    assert "@page { size: A4" in css.read_text()
    # the session page links the certificate of whoever was present
    roll = township.get(f"/training/sessions/{s.pk}/").content.decode()
    assert f"/training/certificates/{ours.pk}/" in roll
    # another township's cadre, or someone not (yet) present, is 404 as a missing one is
    assert township.get(f"/training/certificates/{theirs.pk}/").status_code == 404
    assert signed_in("orgdept").get(f"/training/certificates/{theirs.pk}/").status_code == 200
    services.attendance_record(
        actor=None, session=s, rows=[{"cadre": sc.hjy_secretary.pk, "status": "absent"}]
    )
    assert township.get(f"/training/certificates/{ours.pk}/").status_code == 404
    assert township.get("/training/certificates/987654/").status_code == 404
