"""Top-level URLs."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from grassroots.areas import home
from grassroots.core import otp_views, views
from grassroots.core.observability import views as observability

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("login/otp/", otp_views.otp_verify_view, name="otp_verify"),
    path("login/otp/enrol/", otp_views.otp_enrol_view, name="otp_enrol"),
    path("login/otp/qr.svg", otp_views.otp_qr, name="otp_qr"),
    path("login/unlock/", otp_views.otp_unlock_view, name="otp_unlock"),
    path("account/second-factor/", otp_views.otp_status, name="otp_status"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export/", views.audit_export_page, name="audit-export"),
    path("audit/<slug:kind>/<int:pk>/", views.audit_entry_page, name="audit-entry"),
    path("password/", views.password_change, name="password_change"),
    path("accounts/", include("grassroots.areas.accounts.urls")),
    path("health/", views.health, name="health"),
    path("metrics", observability.metrics, name="metrics"),
    path("", include("grassroots.fieldwork.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("areas/", include("grassroots.areas.urls")),
    path("people/ledger/", include("grassroots.people.import_urls")),
    path("people/", include("grassroots.people.urls")),
    path("visits/", include("grassroots.visits.urls")),
    path("community/", include("grassroots.community.urls")),
    path("cases/", include("grassroots.cases.urls")),
    path("disputes/", include("grassroots.disputes.urls")),
    path("cadres/", include("grassroots.cadres.urls")),
    path("relocation/", include("grassroots.relocation.urls")),
    path("training/", include("grassroots.training.urls")),
    path("assets/", include("grassroots.assets.urls")),
    path("dashboard/", include("grassroots.dashboard.urls")),
    path("reports/", include("grassroots.reports.urls")),
    path("scorecard/", include("grassroots.scorecard.urls")),
    path("api/v1/", include("grassroots.api.urls")),
    path("open311/v2/", include("grassroots.open311.urls")),
    path("admin/", admin.site.urls),
]

# The product's own error pages (DEBUG off), in the user's language.
handler400 = "grassroots.core.errorpages.bad_request"
handler403 = "grassroots.core.errorpages.permission_denied"
handler404 = "grassroots.core.errorpages.page_not_found"
handler500 = "grassroots.core.errorpages.server_error"
