"""Visits, the rest of issue 14: what was found → a dispute (linked both ways, 409 twice), photos
re-encoded without EXIF (as case attachments), and registry changes noticed at the door proposed,
sealed, masked, and accepted or rejected by the community through the people services."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from grassroots.core import crypto
from grassroots.core.errors import DomainError, Forbidden, NotFound
from grassroots.core.models import AuditEvent, User
from grassroots.disputes.models import Dispute
from grassroots.people.models import Resident
from grassroots.visits import selectors, services
from grassroots.visits.errors import VisitConflict, VisitError, VisitIdempotencyMismatch
from grassroots.visits.models import RegistryProposal, Visit, VisitPhoto

GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def user(name):
    return User.objects.get(username=name)


def photo(name="门口.jpg", fmt="JPEG"):
    img = Image.new("RGB", (40, 30), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (37.0, 0.0, 12.5), 3: "E", 4: (110.0, 48.0, 1.0)}
    buf = io.BytesIO()
    img.save(buf, fmt, exif=exif.tobytes())
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def log(registry, actor="gridworker", key="", photos=(), **kw):
    kw.setdefault("all_well", True)
    data = services.VisitInput(household=registry.home_a.pk, visited_on=timezone.localdate(), **kw)
    return services.visit_log(actor=user(actor), data=data, idempotency_key=key, photos=photos)


# -- need → dispute ---------------------------------------------------------------------------


def test_a_finding_becomes_a_dispute_linked_both_ways(registry):
    visit, _ = log(registry, all_well=False, risks="与邻居因漏水争吵", met=(registry.father.pk,))
    visit, dispute = services.visit_to_dispute(
        actor=user("gridworker"), visit=visit, kind="neighbour"
    )
    assert visit.dispute == dispute and list(dispute.visits.all()) == [visit]
    assert dispute.found_via == "visit" and dispute.summary == "与邻居因漏水争吵"
    assert str(visit.pk) in dispute.source_ref and dispute.area_id == visit.area_id
    assert [p.resident_id for p in dispute.parties.all()] == [registry.father.pk]
    assert AuditEvent.objects.filter(action="visit.to_dispute", object_id=str(visit.pk)).exists()
    with pytest.raises(VisitConflict) as second:
        services.visit_to_dispute(actor=user("gridworker"), visit=visit, kind="neighbour")
    assert second.value.status == 409 and second.value.code == "already_a_dispute"
    assert Dispute.objects.count() == 1


def test_parties_default_to_the_household_and_bad_input_writes_nothing(registry):
    visit, _ = log(registry, all_well=False, needs="家里吵架")
    with pytest.raises(DomainError) as bad:  # dispute_screen's own refusal
        services.visit_to_dispute(actor=user("gridworker"), visit=visit, kind="nonsense")
    assert bad.value.detail["field"] == "kind"
    assert Dispute.objects.count() == 0 and Visit.objects.get(pk=visit.pk).dispute is None
    _, dispute = services.visit_to_dispute(actor=user("gridworker"), visit=visit, kind="family")
    members = {registry.father.pk, registry.mother.pk, registry.child.pk}
    assert {p.resident_id for p in dispute.parties.all()} == members


def test_an_all_well_visit_needs_a_summary(registry):
    visit, _ = log(registry)
    with pytest.raises(VisitError) as bad:
        services.visit_to_dispute(actor=user("gridworker"), visit=visit, kind="family")
    assert bad.value.detail["field"] == "summary"


def test_a_dispute_from_a_visit_out_of_scope_is_not_found(registry):
    visit = _other_grid_visit(registry, all_well=False, needs="x")
    with pytest.raises(NotFound):
        services.visit_to_dispute(actor=user("gridworker"), visit=visit, kind="family")
    with pytest.raises(NotFound):
        selectors.visit_get(actor=user("gridworker"), pk=visit.pk)
    assert Dispute.objects.count() == 0


def _other_grid_visit(registry, **kw):
    """A visit to 微网格B's household by the community: outside the grid worker's 微网格A."""
    kw.setdefault("all_well", True)
    data = services.VisitInput(household=registry.home_b.pk, visited_on=timezone.localdate(), **kw)
    return services.visit_log(actor=user("community"), data=data, photos=[photo()])[0]


# -- photos -------------------------------------------------------------------------------------


def test_photos_are_reencoded_without_exif_and_stored_with_the_visit(registry):
    visit, created = log(registry, photos=[photo(), photo("b.png", "PNG")])
    shots = list(visit.photos.all())
    assert created and len(shots) == 2
    data = shots[0].file.read()
    assert b"PhoneMaker" not in data and len(Image.open(io.BytesIO(data)).getexif()) == 0
    assert shots[0].name == "门口.jpg" and "门口" not in shots[0].file.name
    assert AuditEvent.objects.filter(action="visit.photo").count() == 2


def test_a_pdf_or_garbage_is_not_a_photo_and_nothing_is_written(registry):
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    for bad in (pdf, SimpleUploadedFile("x.jpg", b"not an image")):
        with pytest.raises(VisitError) as refused:
            log(registry, photos=[bad])
        assert refused.value.detail["field"] == "photos"
    assert Visit.objects.count() == 0 and VisitPhoto.objects.count() == 0


def test_a_replay_with_the_same_photo_is_the_same_visit_and_another_photo_is_422(registry):
    first, _ = log(registry, key="k1", photos=[photo()])
    again, created = log(registry, key="k1", photos=[photo()])
    assert again.pk == first.pk and not created and VisitPhoto.objects.count() == 1
    with pytest.raises(VisitIdempotencyMismatch):
        log(registry, key="k1", photos=[photo(fmt="PNG")])


def test_a_photo_out_of_scope_is_not_found(registry):
    shot = _other_grid_visit(registry).photos.get()
    with pytest.raises(NotFound):
        selectors.photo_get(actor=user("gridworker"), pk=shot.pk)
    assert selectors.photo_get(actor=user("community"), pk=shot.pk) == shot


# -- registry proposals ---------------------------------------------------------------------------


def propose(registry, *items, **kw):
    return log(registry, proposals=tuple(items), **kw)[0]


def test_a_new_phone_is_proposed_sealed_and_masked(registry):
    item = services.ProposalIn(resident=registry.mother.pk, kind="phone", phone="137 0000 1234")
    visit = propose(registry, item, key="p1")
    p = RegistryProposal.objects.get(visit=visit)
    assert p.phone_masked == "137****1234" and "13700001234" not in p.phone_enc
    assert crypto.decrypt(p.phone_enc) == "13700001234" and p.state == "pending"
    assert "13700001234" not in visit.body_hash
    row = AuditEvent.objects.get(action="registry_proposal.create")
    assert "1370000" not in str(row.changes)


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"kind": "phone", "phone": "12"}, "proposals.0.phone"),
        ({"kind": "phone", "phone": ""}, "proposals.0.phone"),
        ({"kind": "phone", "phone": "13912345678"}, "proposals.0.phone"),  # the same as registered
        ({"kind": "moved_out", "phone": "13700001234"}, "proposals.0.phone"),
        ({"kind": "renamed"}, "proposals.0.kind"),
    ],
)
def test_bad_proposals_name_the_field_and_write_nothing(registry, item, field):
    with pytest.raises(VisitError) as bad:
        propose(registry, services.ProposalIn(resident=registry.mother.pk, **item))
    assert bad.value.detail["field"] == field
    assert Visit.objects.count() == 0 and RegistryProposal.objects.count() == 0


def test_a_proposal_for_someone_not_of_the_household_is_refused(registry):
    item = services.ProposalIn(resident=registry.villager.pk, kind="moved_out")
    with pytest.raises(VisitError) as bad:
        propose(registry, item)
    assert bad.value.detail["field"] == "proposals.0.resident"


def test_accepting_a_phone_updates_the_registry(registry):
    item = services.ProposalIn(resident=registry.mother.pk, kind="phone", phone="13700001234")
    p = RegistryProposal.objects.get(visit=propose(registry, item))
    done = services.proposal_decide(actor=user("community"), proposal=p, accept=True)
    mother = Resident.objects.get(pk=registry.mother.pk)
    assert done.state == "accepted" and mother.phone_masked == "137****1234"
    assert crypto.decrypt(mother.phone_enc) == "13700001234"
    assert AuditEvent.objects.filter(action="resident.update", object_id=str(mother.pk)).exists()
    assert AuditEvent.objects.filter(action="registry_proposal.accept").exists()
    with pytest.raises(VisitConflict) as again:
        services.proposal_decide(actor=user("community"), proposal=p, accept=False, reason="x")
    assert again.value.code == "proposal_decided"


def test_accepting_a_move_out_goes_through_the_move_service(registry):
    item = services.ProposalIn(resident=registry.child.pk, kind="moved_out", note="外出打工")
    p = RegistryProposal.objects.get(visit=propose(registry, item))
    services.proposal_decide(actor=user("gridworker"), proposal=p, accept=True)
    child = Resident.objects.get(pk=registry.child.pk)
    assert child.status == "moved_out" and child.household is None


def test_rejecting_needs_a_reason_and_leaves_the_registry(registry):
    item = services.ProposalIn(resident=registry.mother.pk, kind="phone", phone="13700001234")
    p = RegistryProposal.objects.get(visit=propose(registry, item))
    with pytest.raises(VisitError) as bad:
        services.proposal_decide(actor=user("community"), proposal=p, accept=False)
    assert bad.value.detail["field"] == "reason"
    services.proposal_decide(actor=user("community"), proposal=p, accept=False, reason="号码有误")
    assert Resident.objects.get(pk=registry.mother.pk).phone_masked == "139****5678"
    assert RegistryProposal.objects.get(pk=p.pk).state == "rejected"


def test_proposals_are_scoped_to_who_edits_the_grid(registry):
    item = services.ProposalIn(resident=registry.mother.pk, kind="phone", phone="13700001234")
    p = RegistryProposal.objects.get(visit=propose(registry, item))
    assert list(selectors.proposal_list(actor=user("community"))) == [p]
    for outsider in ("leader", "hotline"):  # they read the registry, do not edit it
        with pytest.raises((NotFound, Forbidden)):
            selectors.proposal_get(actor=user(outsider), pk=p.pk)
    with pytest.raises(Forbidden):
        services.proposal_decide(actor=user("leader"), proposal=p, accept=True)
    item = services.ProposalIn(resident=registry.neighbour.pk, kind="moved_out")
    data = services.VisitInput(
        household=registry.home_b.pk,
        visited_on=timezone.localdate(),
        all_well=True,
        proposals=(item,),
    )
    other = services.visit_log(actor=user("community"), data=data)[0].proposals.get()
    with pytest.raises(NotFound):  # the grid worker of 微网格A does not edit 微网格B
        selectors.proposal_get(actor=user("gridworker"), pk=other.pk)
    with pytest.raises(NotFound):
        services.proposal_decide(actor=user("gridworker"), proposal=other, accept=True)
    assert list(selectors.proposal_list(actor=user("gridworker"))) == [p]
    assert set(RegistryProposal.objects.values_list("state", flat=True)) == {"pending"}
