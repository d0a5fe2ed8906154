"""Journey: a grid worker on a 390 px phone reports a problem found on patrol, with a photo."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from grassroots.cases.models import Case
from tests.browser.conftest import no_horizontal_scroll, shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _photo(path):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 120, 160)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_grid_worker_files_a_patrol_report_with_a_photo_on_a_phone(
    phone, world, catalogue, tmp_path
):
    # given the grid worker signed in on a phone
    sign_in(phone, "gridworker")
    no_horizontal_scroll(phone)

    # when they open the patrol page, pick the matter, describe the problem and attach a photo
    phone.goto("/cases/report/")
    no_horizontal_scroll(phone)
    phone.get_by_role("radio", name="路灯不亮").check()
    phone.get_by_label("问题描述").fill("3号楼东侧路灯不亮，夜间行人看不清路")
    phone.get_by_label("所在网格").select_option(label="微网格A")
    phone.get_by_label("现场照片（可多张）").set_input_files(str(_photo(tmp_path / "现场.jpg")))
    shot(phone, "patrol-phone")
    phone.get_by_role("button", name="上报").click()

    # then they land on the new case, which carries the photo, and the page fits the phone
    expect(phone.get_by_text("3号楼东侧路灯不亮").first).to_be_visible()
    no_horizontal_scroll(phone)
    case = Case.objects.get()
    assert case.channel == "patrol" and case.area == world.grid3a
    assert case.attachments.count() == 1
    expect(phone.get_by_role("link", name="现场.jpg")).to_be_visible()
    shot(phone, "patrol-phone-case")

    # and their queue, where the case now is, fits the phone too
    phone.goto("/cases/")
    expect(phone.get_by_text(case.number).first).to_be_visible()
    no_horizontal_scroll(phone)
