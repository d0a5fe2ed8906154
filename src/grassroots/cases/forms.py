"""Forms of the case pages: they parse and check input; writes go through services/workflow.

File fields return `attachments.CleanFile` objects: every upload is checked by content (and
images re-encoded) while the form validates, so a refused file is a form error naming it, before
anything is written.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Unit
from grassroots.cases import attachments, workflow
from grassroots.cases.choices import Action, Channel, Satisfaction
from grassroots.cases.models import Case

ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"
MAX_FILES = 9
NOTE_LIMIT = 2000
DESK_CHANNELS = [(c.value, c.label) for c in (Channel.HOTLINE, Channel.VISIT, Channel.STATION)]


def attribute_answers(data: Any) -> dict[str, str]:
    """The answers to a matter's extra questions in posted form data: the fields named
    ``attribute[<code>]`` (Open311's convention, used by the desk as well), by code."""
    return {
        name[len("attribute[") : -1]: str(data.get(name) or "")
        for name in data
        if name.startswith("attribute[") and name.endswith("]") and len(name) > len("attribute[]")
    }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list of `CleanFile` (empty when none)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[attachments.CleanFile]:
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > MAX_FILES:
            raise ValidationError(_("一次最多上传 %(n)d 个文件") % {"n": MAX_FILES})
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(attachments.attachment_check(upload))
            except attachments.AttachmentError as exc:
                errors.append(ValidationError(str(exc.message), code="invalid_attachment"))
        if errors:
            raise ValidationError(errors)
        return cleaned


class ActionForm(forms.Form):
    """One workflow action on a case, with what that action needs (reason, unit, rating …)."""

    action = forms.ChoiceField(choices=[(a, a) for a in workflow.NEEDS])
    note = forms.CharField(required=False, max_length=NOTE_LIMIT, strip=True)
    satisfaction = forms.ChoiceField(required=False, choices=[("", "—"), *Satisfaction.choices])
    unit = forms.ModelChoiceField(queryset=Unit.objects.filter(active=True), required=False)
    into = forms.CharField(required=False, max_length=24, strip=True)
    photos = MultipleFileField()

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        note = data.get("note", "")
        if action in workflow.REASON_REQUIRED and not note:
            self.add_error("note", _("此操作须填写原因"))
        if action in workflow.NOTE_REQUIRED and not note:
            self.add_error("note", workflow.NOTE_REQUIRED[action])
        if action == Action.REVIEW and not data.get("satisfaction"):
            self.add_error("satisfaction", _("请选择满意度"))
        if action == Action.ASSIST and data.get("unit") is None:
            self.add_error("unit", _("请选择协办单位"))
        if action == Action.MERGE and not data.get("into"):
            self.add_error("into", _("请填写要合并到的诉求编号"))
        if action == Action.DISPATCH:
            unit = data.get("unit")
            if unit is None and self.case.unit_id is None:
                self.add_error("unit", _("请选择承办单位"))
            changed = unit is not None and self.case.unit_id not in (None, unit.pk)
            if changed and not note:
                self.add_error("note", _("改派其他单位须填写原因"))
        return data


class DeskForm(forms.Form):
    """The hotline desk's quick entry: what, where, who called; or the answer given at the seat."""

    # What it fills and why it may ask the caller (docs/forms-inventory.md, "Nothing asked twice").
    subject = "people.Household"
    subject_from = "household"
    writes = "cases.Case"
    fills = {"phone": "cases.Case.reporter_phone"}
    prefill = {"reporter_name": "people.Resident.name"}
    reasons = {
        "phone": "the number the call came from: the key that finds the caller in the registry "
        "(people.Resident.phone, looked up, never retyped), kept on the case as the call's own "
        "record; never written to the registry",
        "reporter_name": "who called, as given: starts from the chosen household's resident "
        "(the desk fills it from the registry) and stays editable for another caller",
    }

    matter = forms.CharField(
        label=_("职能事项"), max_length=20, error_messages={"required": _("请选择职能事项")}
    )
    description = forms.CharField(
        label=_("诉求内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    channel = forms.ChoiceField(
        label=_("来源渠道"), choices=DESK_CHANNELS, initial=Channel.HOTLINE, required=False
    )
    household = forms.IntegerField(required=False, min_value=1)
    area = forms.IntegerField(label=_("所在网格"), required=False, min_value=1)
    address = forms.CharField(label=_("地点"), required=False, max_length=200)
    reporter_name = forms.CharField(label=_("诉求人"), required=False, max_length=60)
    # The caller's phone: also the case's contact phone. Never rendered back (see views.desk).
    phone = forms.CharField(label=_("来电号码"), required=False, max_length=30)
    answer = forms.CharField(
        label=_("答复内容（在座席答复时填写）"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    caller = forms.CharField(required=False, max_length=200)
    idem = forms.CharField(max_length=64)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["channel"] = data.get("channel") or Channel.HOTLINE
        if data.get("household") and data.get("area"):
            self.add_error("area", _("已按来电人的户定位，请不要再选网格"))
        return data


class PatrolForm(forms.Form):
    """A grid worker's report from patrol: what, where (grid, optional position), photos."""

    writes = "cases.Case"  # docs/forms-inventory.md

    matter = forms.CharField(
        label=_("问题类型"), max_length=20, error_messages={"required": _("请选择问题类型")}
    )
    description = forms.CharField(
        label=_("问题描述"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    area = forms.IntegerField(label=_("所在网格"), required=False, min_value=1)
    address = forms.CharField(label=_("具体位置"), required=False, max_length=200)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    photos = MultipleFileField(label=_("现场照片"))
    idem = forms.CharField(max_length=64)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error(None, _("定位不完整，请重新获取位置"))
        return data
