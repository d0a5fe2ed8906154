"""Training attendance by sign-in code and from the online platform's Excel export."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.utils import timezone
from openpyxl import Workbook

from grassroots.core.models import AuditEvent
from grassroots.training import services
from grassroots.training.attendance_import import attendance_import
from grassroots.training.errors import TrainingError
from grassroots.training.models import Enrolment, SignInCode
from tests.conftest import person_id, signed_in
from tests.training_support import scene, session

API = "/api/v1"
pytestmark = pytest.mark.django_db


def _statuses() -> dict[int, tuple[str, int]]:
    return {e.cadre_id: (e.status, e.hours) for e in Enrolment.objects.all()}


def test_a_sign_in_code_marks_an_enrolled_cadre_present_once(world, registry, api) -> None:
    sc = scene(world, registry)
    s = session(world, hours=16)
    services.enrol_target_group(actor=None, session=s)
    client = api("orgdept")
    resp = client.post(
        f"{API}/training-sessions/{s.pk}/signin-codes/",
        {"day": s.starts_on.isoformat(), "minutes": 20},
        format="json",
    )
    assert resp.status_code == 201
    code = resp.json()["code"]
    assert len(code) == 6
    row = SignInCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64  # kept hashed only
    url = f"{API}/training-sessions/{s.pk}/signin/"
    # a wrong code
    resp = client.post(url, {"code": "ZZZZZZ", "cadre": sc.hjy_secretary.pk}, format="json")
    assert resp.status_code == 400 and resp.json()["code"] == "code_invalid"
    # not enrolled (a member in a secretaries' session)
    resp = client.post(url, {"code": code, "cadre": sc.hjy_member.pk}, format="json")
    assert resp.json()["code"] == "not_enrolled"
    assert _statuses()[sc.hjy_secretary.pk] == ("enrolled", 0)
    # the right code, typed in lower case
    resp = client.post(url, {"code": code.lower(), "cadre": sc.hjy_secretary.pk}, format="json")
    assert resp.status_code == 200, resp.json()
    assert resp.json() == {"cadre": sc.hjy_secretary.pk, "status": "present", "hours": 16}
    # the same code again for the same person is refused; for another it is taken
    resp = client.post(url, {"code": code, "cadre": sc.hjy_secretary.pk}, format="json")
    assert resp.json()["code"] == "code_used"
    resp = client.post(url, {"code": code, "cadre": sc.luocun_secretary.pk}, format="json")
    assert resp.status_code == 200
    assert _statuses() == {
        sc.hjy_secretary.pk: ("present", 16),
        sc.luocun_secretary.pk: ("present", 16),
    }
    # through the attendance service: its audit rows, one per sign-in
    assert AuditEvent.objects.filter(action="training.attendance").count() == 2
    assert AuditEvent.objects.filter(action="training.signin_code").count() == 1
    # an expired code
    row.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    row.save()
    resp = client.post(url, {"code": code, "cadre": sc.luocun_secretary.pk}, format="json")
    assert resp.json()["code"] == "code_expired"


def test_sign_in_codes_are_scoped_and_bounded(world, registry, api) -> None:
    scene(world, registry)
    s = session(world)
    url = f"{API}/training-sessions/{s.pk}/signin-codes/"
    day = s.starts_on.isoformat()
    # a township does not organise the county's session; a leader holds no right to
    assert api("township").post(url, {"day": day}, format="json").status_code == 404
    assert api("leader").post(url, {"day": day}, format="json").status_code == 403
    resp = api("orgdept").post(
        url, {"day": (s.ends_on + datetime.timedelta(days=1)).isoformat()}, format="json"
    )
    assert resp.status_code == 400 and resp.json()["detail"]["field"] == "day"
    with pytest.raises(TrainingError):
        services.signin_code_open(actor=None, session=s, day=s.starts_on, minutes=0)
    assert not SignInCode.objects.exists()


def _xlsx(header, *rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_platform_export_is_imported_all_or_none(world, registry, api) -> None:
    sc = scene(world, registry)
    s = session(world, hours=16)
    services.enrol_target_group(actor=None, session=s)
    url = f"{API}/training-sessions/{s.pk}/attendance-import/"
    client = api("orgdept")

    def post(content: bytes):
        return client.post(url, {"file": io.BytesIO(content)}, format="multipart")

    # an unknown person, named by row and column; nothing written
    resp = post(_xlsx(["序号", "姓名", "学时"], [1, "王建国", 16], [2, "李秀英", 8]))
    assert resp.status_code == 400
    assert resp.json()["code"] == "not_enrolled"
    assert resp.json()["detail"] == {"field": "姓名", "row": 3}
    # hours exceeding the session
    resp = post(_xlsx(["姓名", "学时"], ["王建国", 16], ["张村民", 17]))
    assert resp.json()["code"] == "hours_exceed_session"
    assert resp.json()["detail"] == {"field": "学时", "row": 3}
    # no person column
    resp = post(_xlsx(["名字", "学时"], ["王建国", 16]))
    assert resp.json()["detail"] == {"field": "header", "row": 1}
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"enrolled"}
    # by ID number: hours credited, 0 is absent
    good = _xlsx(
        ["身份证号", "学时"],
        [person_id(11), 12],
        [person_id(15, datetime.date(1970, 7, 7)), 0],
    )
    resp = post(good)
    assert resp.status_code == 200, resp.json()
    assert resp.json() == {"recorded": 2}
    assert _statuses() == {
        sc.hjy_secretary.pk: ("present", 12),
        sc.luocun_secretary.pk: ("absent", 0),
    }
    assert AuditEvent.objects.filter(action="training.attendance_import").count() == 1
    # a township cannot import into the county's session
    assert (
        api("township").post(url, {"file": io.BytesIO(good)}, format="multipart").status_code == 404
    )


def test_a_hostile_or_broken_file_is_refused(world, registry) -> None:
    scene(world, registry)
    s = session(world)
    services.enrol_target_group(actor=None, session=s)
    with pytest.raises(TrainingError) as e:
        attendance_import(actor=None, session=s, content=b"not a zip")
    assert e.value.detail == {"field": "file"}
    # a part that unpacks far beyond its packed size (a zip bomb) is refused before parsing
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (4 * 1024 * 1024))
    with pytest.raises(TrainingError) as e:
        attendance_import(actor=None, session=s, content=bomb.getvalue())
    assert "解压后过大" in str(e.value.message)
    with pytest.raises(TrainingError):
        attendance_import(actor=None, session=s, content=_xlsx(["姓名", "学时"]))


def test_the_sign_in_page_on_a_phone_opens_a_code_and_signs_in(world, registry) -> None:
    sc = scene(world, registry)
    s = session(world, hours=8)
    services.enrol_target_group(actor=None, session=s)
    browser = signed_in("orgdept")
    url = f"/training/sessions/{s.pk}/sign-in/"
    page = browser.get(url)
    assert page.status_code == 200 and len(page.context["people"]) == 2
    opened = browser.post(url, {"open": "1", "day": s.starts_on.isoformat(), "minutes": "15"})
    code = opened.context["code"]
    assert code.encode() in opened.content
    resp = browser.post(url, {"code": "WRONG2", "cadre": sc.hjy_secretary.pk})
    assert resp.status_code == 400 and "code_invalid" in resp.context["error"]
    resp = browser.post(url, {"code": code, "cadre": sc.hjy_secretary.pk})
    assert resp.status_code == 302
    assert _statuses()[sc.hjy_secretary.pk] == ("present", 8)
    # the township sees the county's session but signs no one in to it
    township = signed_in("township")
    resp = township.post(url, {"code": code, "cadre": sc.hjy_secretary.pk})
    assert resp.status_code == 404


def test_a_person_twice_or_a_bad_id_number_is_named_by_row(world, registry) -> None:
    scene(world, registry)
    s = session(world)
    services.enrol_target_group(actor=None, session=s)
    twice = _xlsx(["姓名", "学时"], ["王建国", 4], [None, None], ["王建国", 4])
    with pytest.raises(TrainingError) as e:
        attendance_import(actor=None, session=s, content=twice)
    assert e.value.detail == {"field": "姓名", "row": 4}
    with pytest.raises(TrainingError) as e:
        attendance_import(actor=None, session=s, content=_xlsx(["身份证号", "学时"], ["1234", 4]))
    assert e.value.detail == {"field": "身份证号", "row": 2}
    with pytest.raises(TrainingError) as e:
        attendance_import(actor=None, session=s, content=_xlsx(["姓名", "学时"], ["王建国", 2.5]))
    assert e.value.code == "invalid_value" and e.value.detail == {"field": "学时", "row": 2}
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"enrolled"}
