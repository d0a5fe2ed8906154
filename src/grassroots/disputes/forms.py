"""Forms of the dispute pages: they parse input only; the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.cases.attachments import CleanFile, attachment_check
from grassroots.cases.forms import ACCEPT as ACCEPT
from grassroots.core import params
from grassroots.core.errors import DomainError
from grassroots.disputes.choices import FoundVia, Kind, MediatorKind, Outcome, PartyRole, Risk

PARTY_ROWS = 4
MEDIATOR_ROWS = 3
# Why a party row may ask a name, ID number and phone (docs/forms-inventory.md).
OUTSIDER = (
    "an outsider's, read only when no resident is chosen: for a resident the service keeps the "
    "registry's and ignores these (disputes.services._party)"
)


class ScreenForm(forms.Form):
    # The party rows are parsed by hand (`parties`); docs/forms-inventory.md.
    writes = "disputes.Dispute"
    fills = {
        "party-N-role": "disputes.Party.role",
        "party-N-resident": "disputes.Party.resident",
        "party-N-name": "disputes.Party.name",
        "party-N-id_number": "disputes.Party.id_number",
        "party-N-phone": "disputes.Party.phone",
    }
    reasons = {f"party-N-{k}": OUTSIDER for k in ("name", "id_number", "phone")}

    area = forms.IntegerField(label=_("所在区域"), min_value=1)
    kind = forms.ChoiceField(label=_("纠纷类型"), choices=Kind.choices)
    summary = forms.CharField(label=_("纠纷概要"), max_length=8000)
    found_via = forms.ChoiceField(label=_("发现途径"), choices=FoundVia.choices)
    found_on = forms.DateField(label=_("发现日期"), initial=timezone.localdate)
    risk = forms.ChoiceField(
        label=_("风险判断"), choices=[("", _("按规则评定")), *Risk.choices], required=False
    )
    case = forms.IntegerField(label=_("来源诉求（编号 ID）"), min_value=1, required=False)
    source_ref = forms.CharField(label=_("来源编号"), max_length=60, required=False)

    def parties(self) -> list[dict[str, Any]]:
        """The filled party rows (party-N-role/resident/name/phone/id_number)."""
        rows = []
        for i in range(PARTY_ROWS):
            get = lambda k, i=i: str(self.data.get(f"party-{i}-{k}", "")).strip()  # noqa: E731
            resident = get("resident")
            if not (resident or get("name")):
                continue
            rows.append(
                {
                    "role": get("role") or PartyRole.APPLICANT,
                    "resident": params.id_or_none(resident),
                    "name": get("name"),
                    "phone": get("phone"),
                    "id_number": get("id_number"),
                }
            )
        return rows


class MediationForm(forms.Form):
    held_on = forms.DateField(label=_("调解日期"), initial=timezone.localdate)
    outcome = forms.ChoiceField(label=_("调解结果"), choices=Outcome.choices)
    agreement_text = forms.CharField(label=_("调解协议内容"), max_length=8000, required=False)
    agreement_file = forms.FileField(label=_("协议扫描件"), required=False)
    notes = forms.CharField(label=_("调解经过"), max_length=8000, required=False)

    def mediators(self) -> list[dict[str, str]]:
        rows = []
        for i in range(MEDIATOR_ROWS):
            name = str(self.data.get(f"mediator-{i}-name", "")).strip()
            kind = str(self.data.get(f"mediator-{i}-kind", "")) or MediatorKind.OTHER
            if name:
                rows.append({"name": name, "kind": kind})
        return rows

    def clean_agreement_file(self) -> CleanFile | None:
        upload = self.cleaned_data.get("agreement_file")
        if not upload:
            return None
        try:
            return attachment_check(upload)
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from None


class ActionForm(forms.Form):
    action = forms.CharField(max_length=12)
    note = forms.CharField(max_length=4000, required=False)
    matter = forms.CharField(max_length=20, required=False)
    follow_up = forms.IntegerField(min_value=1, required=False)
    done_on = forms.DateField(required=False)
    notes = forms.CharField(max_length=4000, required=False)
