"""Journey: without a signal, a grid worker logs a visit with a photo from the phone's camera and
a new phone noticed at the door; back online, the outbox sends it once: the visit, its photo
(re-encoded, no EXIF) and the proposal (sealed, shown masked) are each there exactly once."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from grassroots.visits import services
from grassroots.visits.models import RegistryProposal, Visit, VisitPhoto
from tests.browser.conftest import kept, no_horizontal_scroll, sign_in, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_visit_with_a_photo_and_a_change_sent_from_the_outbox_once(
    phone, world, registry, tmp_path
):
    services.plan_rule_set(actor=None, area=world.county, tag="", interval_days=30)
    picture = tmp_path / "门口.jpg"
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    buf = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(buf, "JPEG", exif=exif.tobytes())
    picture.write_bytes(buf.getvalue())
    sign_in(phone, "gridworker")
    phone.goto("/visits/")
    wait_until(phone, "() => navigator.serviceWorker && navigator.serviceWorker.controller")
    phone.reload()
    wait_until(phone, kept(f"/visits/new/?household={registry.home_a.pk}"))
    waiting = phone.locator("[data-offline-outbox-list] li")

    phone.context.set_offline(True)
    phone.goto(f"/visits/new/?household={registry.home_a.pk}")
    phone.get_by_label("现场照片（可多张）").set_input_files(str(picture))
    phone.get_by_text("信息有变化", exact=True).click()
    mother = phone.locator("fieldset.change", has_text="李秀英")
    mother.get_by_label("变更类型").select_option(label="新的联系电话")
    mother.get_by_label("新的联系电话").fill("13700001234")
    no_horizontal_scroll(phone)
    phone.get_by_role("button", name="一切正常，保存").click()
    expect(phone.get_by_text("已保存到待发送，网络恢复后自动上报")).to_be_visible()
    expect(waiting).to_have_count(1)
    assert Visit.objects.count() == 0

    phone.context.set_offline(False)
    expect(waiting).to_have_count(0, timeout=30_000)
    visit = Visit.objects.get()
    assert VisitPhoto.objects.filter(visit=visit).count() == 1
    assert b"PhoneMaker" not in visit.photos.get().file.read()
    proposal = RegistryProposal.objects.get(visit=visit)
    assert proposal.phone_masked == "137****1234" and proposal.resident == registry.mother

    phone.goto(f"/visits/{visit.pk}/")
    expect(phone.get_by_text("137****1234", exact=False)).to_be_visible()
    expect(phone.locator(".visit-photos img")).to_have_count(1)
    no_horizontal_scroll(phone)
