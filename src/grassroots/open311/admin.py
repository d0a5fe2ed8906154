"""Open311 keys in the configuration site: issue (the key is shown once), rate, revoke.

A key opens an account and a post, so keys are account administration: the security
administrator's MANAGE_POSTS, not the system admin's MANAGE_AREAS.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from grassroots.core.actors import actor_of
from grassroots.core.admin import ScopedAdmin
from grassroots.core.roles import Perm
from grassroots.open311 import services
from grassroots.open311.models import ApiKey


class ApiKeyForm(forms.ModelForm[ApiKey]):
    class Meta:
        model = ApiKey
        fields = ["name", "channel", "per_minute"]


@admin.register(ApiKey)
class ApiKeyAdmin(ScopedAdmin):
    perm = Perm.MANAGE_POSTS
    form = ApiKeyForm
    list_display = ["name", "prefix", "channel", "per_minute", "created_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["name", "channel", "per_minute", "prefix", "revoked_at"] if obj else []

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            return  # a key is revoked and reissued, never edited
        d = form.cleaned_data
        key, raw = services.apikey_issue(
            actor=actor_of(request),
            name=d["name"],
            channel=d["channel"],
            per_minute=d["per_minute"],
        )
        obj.pk = key.pk
        messages.warning(request, _("新密钥（只显示这一次，请妥善保存）：%(k)s") % {"k": raw})

    @admin.action(description=_("吊销所选密钥"))
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for key in queryset.filter(revoked_at__isnull=True):
            services.apikey_revoke(actor=actor_of(request), key=key)
