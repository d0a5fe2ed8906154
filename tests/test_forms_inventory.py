"""The forms inventory and the rule "nothing asked twice" (issue 20): docs/forms-inventory.md is
what the code generates; no form of the project breaks the rule; and the checker does fail on
deliberately bad, test-only forms (re-asking a held attribute, a free-text phone, an unexplained
copy), so its silence on the real forms means something."""

from __future__ import annotations

from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework import serializers

from grassroots.inventory import rules
from grassroots.inventory.collect import (
    entries,
    form_entry,
    hand_parsed_pages,
    posted_keys,
    serializer_entry,
)
from grassroots.inventory.render import markdown

DOC = Path(settings.REPO_DIR) / "docs" / "forms-inventory.md"


@pytest.fixture(scope="module")
def inventory():
    return entries(), hand_parsed_pages()


def by_path(found, path):
    return next(e for e in found if e.path == path)


def kinds(violations):
    return sorted((v.field, v.kind) for v in violations)


# -- the project's own forms ------------------------------------------------------------------


def test_the_published_inventory_is_what_the_code_generates(inventory):
    found, pages = inventory
    assert DOC.read_text(encoding="utf-8") == markdown(found, pages), (
        "docs/forms-inventory.md is stale: run `grassroots forms-inventory`"
    )


def test_no_form_or_api_input_breaks_the_rule(inventory):
    found, pages = inventory
    assert [str(v) for v in rules.check(found)] == []
    assert [str(v) for v in rules.check_pages(pages, found)] == []


def test_no_new_home_for_a_persons_phone_or_id_number():
    assert rules.unexplained_copies() == []


def test_a_second_home_not_listed_as_a_copy_is_found(monkeypatch):
    monkeypatch.delitem(rules.COPIES, "disputes.Party.phone")
    assert rules.unexplained_copies() == ["disputes.Party.phone"]


def test_the_inventory_finds_forms_pages_and_api_inputs(inventory):
    found, _pages = inventory
    desk = by_path(found, "grassroots.cases.forms.DeskForm")
    assert desk.used_at == ("/cases/desk/ (cases:desk)",)
    assert desk.subject == "people.Household"
    fields = {f.name: f for f in desk.fields}
    assert fields["phone"].fills == "cases.Case.reporter_phone"
    assert fields["reporter_name"].prefill == "people.Resident.name"
    assert fields["description"].fills == "cases.Case.description"  # from `writes`

    create = by_path(found, "grassroots.cases.api.CaseCreateSerializer")
    assert create.used_at == ("POST /api/v1/cases/",)
    assert {f.name for f in create.fields} >= {"reporter.phone", "location.lat", "household"}

    area = by_path(found, "grassroots.areas.admin.AreaForm")  # a ModelForm: from its meta
    assert area.used_at == ("admin: areas.Area",)
    assert {f.fills for f in area.fields} >= {"areas.Area.code", "areas.Area.name"}

    patch = by_path(found, "grassroots.people.api.ResidentPatchSerializer")
    phone = next(f for f in patch.fields if f.name == "phone")
    assert (phone.fills, phone.prefill, phone.required) == (
        "people.Resident.phone",
        "people.Resident.phone",
        False,
    )

    screen = by_path(found, "grassroots.disputes.forms.ScreenForm")
    hand = {f.name for f in screen.fields if f.by_hand}
    assert "party-N-phone" in hand


def test_subjects_hold_what_the_models_link():
    household = rules.held_by("people.Household")
    assert {"people.Resident.phone", "people.Dwelling.address", "people.Household.number"} <= (
        household
    )
    assert "cases.Case.address" not in household  # a household's past cases are not its own
    assert "people.Resident.id_number" in rules.held_by("cadres.Cadre")  # the cadre's resident


def test_the_command_writes_and_checks_the_document(tmp_path):
    out = tmp_path / "inventory.md"
    call_command("forms-inventory", "--output", str(out))
    assert out.read_text(encoding="utf-8") == DOC.read_text(encoding="utf-8")
    call_command("forms-inventory", "--check", "--output", str(out))
    out.write_text("stale\n", encoding="utf-8")
    with pytest.raises(CommandError, match="stale"):
        call_command("forms-inventory", "--check", "--output", str(out))


# -- the checker fails on bad forms (test-only classes, never in the project) -----------------


class ReaskingVisitForm(forms.Form):
    """A visit form that asks the household's address and a member's phone again."""

    subject = "people.Household"
    subject_from = "url"
    address = forms.CharField()
    phone = forms.CharField()
    fills = {"address": "people.Dwelling.address", "phone": "people.Resident.phone"}


def test_fails_when_a_test_form_re_asks_a_held_attribute():
    found = rules.check([form_entry(ReaskingVisitForm)])
    assert kinds(found) == [("address", "re-asked"), ("phone", "re-asked")]
    assert "people.Household already holds" in str(found[0])


def test_the_same_form_passes_once_it_starts_from_the_record():
    class PrefilledVisitForm(ReaskingVisitForm):
        prefill = {"address": "people.Dwelling.address", "phone": "people.Resident.phone"}

    assert rules.check([form_entry(PrefilledVisitForm)]) == []


def test_fails_when_a_case_form_asks_the_reporters_id_once_the_household_is_chosen():
    class CaseForm(forms.Form):
        subject = "people.Household"
        subject_from = "household"
        household = forms.IntegerField()
        reporter_id_number = forms.CharField()
        fills = {"reporter_id_number": "people.Resident.id_number"}

    assert kinds(rules.check([form_entry(CaseForm)])) == [("reporter_id_number", "re-asked")]


def test_a_form_that_picks_a_household_is_filled_for_it_unless_it_says_otherwise():
    class PickedForm(forms.Form):
        household = forms.IntegerField()
        address = forms.CharField()
        fills = {"address": "people.Dwelling.address"}

    entry = form_entry(PickedForm)
    assert (entry.subject, entry.subject_from) == ("people.Household", "household (inferred)")
    assert kinds(rules.check([entry])) == [("address", "re-asked")]

    class NewHomeForm(PickedForm):
        subject = ""  # says otherwise: the address of a new dwelling, not the picked one's

    assert rules.check([form_entry(NewHomeForm)]) == []


def test_fails_on_a_free_text_phone_nobody_declared():
    class FreePhoneForm(forms.Form):
        name = forms.CharField()
        contact_phone = forms.CharField()

    found = rules.check([form_entry(FreePhoneForm)])
    assert kinds(found) == [("contact_phone", "undeclared")]


def test_fails_on_writing_a_copy_of_a_canonical_attribute_without_a_reason():
    class CopyForm(forms.Form):
        phone = forms.CharField()
        fills = {"phone": "cases.Case.reporter_phone"}

    assert kinds(rules.check([form_entry(CopyForm)])) == [("phone", "copy")]

    class ExplainedCopyForm(CopyForm):
        reasons = {"phone": "the caller's number as the call came in"}

    assert rules.check([form_entry(ExplainedCopyForm)]) == []


def test_fails_on_a_declared_attribute_that_does_not_exist():
    class TypoForm(forms.Form):
        phone = forms.CharField()
        fills = {"phone": "people.Resident.phone_number"}

    assert kinds(rules.check([form_entry(TypoForm)])) == [("phone", "unknown")]


def test_fails_when_a_nested_api_input_re_asks_the_households_member_phone():
    class ContactSerializer(serializers.Serializer):
        writes = "people.Resident"
        phone = serializers.CharField(required=False)

    class ReportSerializer(serializers.Serializer):
        subject = "people.Household"
        subject_from = "household"
        household = serializers.IntegerField()
        contact = ContactSerializer()

    found = rules.check([serializer_entry(ReportSerializer)])
    assert kinds(found) == [("contact.phone", "re-asked")]


def test_fails_when_an_api_update_requires_what_it_says_it_keeps():
    class Update(serializers.Serializer):
        subject = "people.Resident"
        subject_from = "url"
        writes = "people.Resident"
        prefill = "*"
        phone = serializers.CharField()  # required: the client must send it again

    assert kinds(rules.check([serializer_entry(Update)])) == [("phone", "required-prefill")]


def test_fails_when_a_page_reads_a_phone_by_hand_that_no_form_declares():
    pages = [("/x/ (x)", "tests.view", ["mobile", "note"])]
    assert kinds(rules.check_pages(pages, [])) == [("mobile", "undeclared")]
    declared = form_entry(ReaskingVisitForm)
    ok = [("/y/ (y)", "tests.view", ["phone"])]
    used = type(declared)(**{**declared.__dict__, "used_at": ("/y/ (y)",)})
    assert rules.check_pages(ok, [used]) == []


def _reads(data, row):
    return data.get(f"tel_{row}"), data["idno"]


def _view(request):
    request.POST.get("phone")
    request.POST.getlist("met")
    form = {"username": "", "full_name": ""}
    typed = {k: request.POST.get(k, "") for k in form}
    return _reads(request.POST, 1), typed


def test_posted_keys_are_read_from_the_view_and_the_helper_it_hands_them_to():
    keys = ["full_name", "idno", "met", "phone", "tel_<…>", "username"]
    assert posted_keys(_view) == keys


# -- a stated reason holds: an outsider's copies are ignored for a resident --------------------


def test_a_party_chosen_from_the_registry_keeps_no_copy_of_phone_or_id(world, registry):
    from grassroots.disputes import services
    from tests.disputes_support import screen

    party = services.PartyIn(
        role="applicant",
        resident=registry.father.pk,
        name="另一个名字",
        phone="13600001111",
        id_number="110101199003074514",
    )
    dispute = screen(world.users["gridworker"], world.grid3a, parties=(party,))
    row = dispute.parties.get()
    assert row.resident_id == registry.father.pk
    assert (row.name, row.phone_enc, row.id_number_enc) == ("", "", "")
