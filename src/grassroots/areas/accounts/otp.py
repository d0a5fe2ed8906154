"""The security administrator resets an account's second factor (SECURITY.md 4).

The account enrols again at its next sign-in; its recovery codes go too. Guarded like every
account administration (`services._guard`: the right, the scope, never one's own account) and
audited (`otp.reset`) by `core.otp.otp_reset`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.areas.accounts import selectors as accounts_selectors
from grassroots.areas.accounts.services import _guard
from grassroots.core.actors import actor_of
from grassroots.core.models import User
from grassroots.core.otp import otp_reset


def second_factor_reset(*, actor: User | None, account: User) -> int:
    """Remove `account`'s second factor; how many devices were removed."""
    _guard(actor, account)
    return otp_reset(actor=actor, account=account)


@login_required
@require_POST
def second_factor_reset_view(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: reset the account's second factor, then back to its page with a message."""
    actor = actor_of(request)
    account = accounts_selectors.account_get(actor=actor, pk=pk)
    second_factor_reset(actor=actor, account=account)
    messages.success(request, _("已重置两步验证，该账号下次登录时须重新绑定"))
    return redirect("accounts:detail", pk=account.pk)
