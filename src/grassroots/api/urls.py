"""URLs of the REST API, `/api/v1/`: each app's views, wired in one place."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from grassroots.api.auth import ObtainToken
from grassroots.areas import api as areas
from grassroots.areas.accounts import api as accounts
from grassroots.assets import api as assets
from grassroots.cadres import api as cadres
from grassroots.cases import api as cases
from grassroots.cases.suggest import api as suggest
from grassroots.community import api as community
from grassroots.community import api_liaison as liaison
from grassroots.core import accounts_api
from grassroots.dashboard import api as dashboard
from grassroots.disputes import api as disputes
from grassroots.people import api as people
from grassroots.people import api_transfers as transfers
from grassroots.relocation import api as relocation
from grassroots.reports import api as reports
from grassroots.training import api as training
from grassroots.visits import api as visits
from grassroots.visits import api_links as visit_links
from grassroots.visits import api_pairing as pairings


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def root(request: Request) -> Response:
    """The API's index: where each collection lives."""
    names = ["areas", "units", "posts", "households", "residents", "matters", "cases"]
    names += ["case-metrics", "dashboard-metrics", "me", "token", "schema", "docs"]
    names += ["accounts", "my-password"]
    names += ["visits", "visits-due", "pairings", "plan-rules", "registry-proposals"]
    names += ["disputes", "dispute-figures", "transfer-requests"]
    names += ["cadres", "appraisals", "pay-sheets"]
    names += ["training-sessions", "training-coverage", "asset-problems", "asset-totals"]
    names += ["relocated-households", "relocation-omissions", "relocation-figures"]
    return Response({n: reverse(f"api:{n}", request=request) for n in names})


app_name = "api"
urlpatterns = [
    path("", root, name="root"),
    path("auth/token/", ObtainToken.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("me/", areas.Me.as_view(), name="me"),
    path("areas/", areas.AreaList.as_view(), name="areas"),
    path("areas/<int:pk>/", areas.AreaDetail.as_view(), name="area"),
    path("units/", areas.UnitList.as_view(), name="units"),
    path("units/<int:pk>/", areas.UnitDetail.as_view(), name="unit"),
    path("posts/", areas.PostList.as_view(), name="posts"),
    path("posts/<int:pk>/", areas.PostDetail.as_view(), name="post"),
    path("households/", people.HouseholdList.as_view(), name="households"),
    path("households/<int:pk>/", people.HouseholdDetail.as_view(), name="household"),
    path("residents/", people.ResidentList.as_view(), name="residents"),
    path("residents/<int:pk>/", people.ResidentDetail.as_view(), name="resident"),
    path("residents/<int:pk>/reveal/", people.ResidentReveal.as_view(), name="resident-reveal"),
    path("transfer-requests/", transfers.TransferList.as_view(), name="transfer-requests"),
    path(
        "transfer-requests/<int:pk>/decide/",
        transfers.TransferDecide.as_view(),
        name="transfer-request-decide",
    ),
    path("matters/", cases.MatterList.as_view(), name="matters"),
    path("cases/", cases.CaseList.as_view(), name="cases"),
    path("cases/suggest/", suggest.CaseSuggest.as_view(), name="case-suggest"),
    path("cases/<int:pk>/", cases.CaseDetail.as_view(), name="case"),
    path("cases/<int:pk>/events/", cases.CaseEvents.as_view(), name="case-events"),
    path("cases/<int:pk>/actions/", cases.CaseActions.as_view(), name="case-actions"),
    path("cases/<int:pk>/reveal/", cases.CaseReveal.as_view(), name="case-reveal"),
    path("community/<int:pk>/", community.CommunitySummary.as_view(), name="community"),
    path(
        "community/<int:pk>/facilities/",
        community.FacilityList.as_view(),
        name="community-facilities",
    ),
    path(
        "community/<int:pk>/facilities/<int:facility_pk>/enrolments/",
        community.FacilityEnrol.as_view(),
        name="community-enrolments",
    ),
    path(
        "community/<int:pk>/facilities/<int:facility_pk>/staff/",
        community.FacilityStaffAdd.as_view(),
        name="community-facility-staff",
    ),
    path("community/<int:pk>/team/", community.TeamList.as_view(), name="community-team"),
    path(
        "community/<int:pk>/activities/",
        community.ActivityList.as_view(),
        name="community-activities",
    ),
    path(
        "community/<int:pk>/stations/",
        liaison.StationList.as_view(),
        name="community-stations",
    ),
    path(
        "community/<int:pk>/liaison-visits/",
        liaison.LiaisonVisitList.as_view(),
        name="community-liaison-visits",
    ),
    path(
        "community/<int:pk>/liaison-issues/",
        liaison.LiaisonIssueList.as_view(),
        name="community-liaison-issues",
    ),
    path(
        "community-standards/<int:pk>/",
        community.StandardDetail.as_view(),
        name="community-standard",
    ),
    path("visits/", visits.VisitList.as_view(), name="visits"),
    path("visits/due/", visits.DueList.as_view(), name="visits-due"),
    path("visits/<int:pk>/", visits.VisitDetail.as_view(), name="visit"),
    path("visits/<int:pk>/case/", visits.VisitToCase.as_view(), name="visit-case"),
    path("visits/<int:pk>/dispute/", visit_links.VisitToDispute.as_view(), name="visit-dispute"),
    path("registry-proposals/", visit_links.ProposalList.as_view(), name="registry-proposals"),
    path(
        "registry-proposals/<int:pk>/accept/",
        visit_links.ProposalAccept.as_view(),
        name="registry-proposal-accept",
    ),
    path(
        "registry-proposals/<int:pk>/reject/",
        visit_links.ProposalReject.as_view(),
        name="registry-proposal-reject",
    ),
    path("pairings/", pairings.PairingList.as_view(), name="pairings"),
    path("pairings/bulk/", pairings.PairingBulk.as_view(), name="pairings-bulk"),
    path("pairings/repair/", pairings.PairingRepair.as_view(), name="pairings-repair"),
    path("pairings/<int:pk>/end/", pairings.PairingEnd.as_view(), name="pairing-end"),
    path("plan-rules/", visits.PlanRuleList.as_view(), name="plan-rules"),
    path("metrics/cases/", cases.CaseMetrics.as_view(), name="case-metrics"),
    path("disputes/", disputes.DisputeList.as_view(), name="disputes"),
    path("disputes/<int:pk>/", disputes.DisputeDetail.as_view(), name="dispute"),
    path("disputes/<int:pk>/actions/", disputes.DisputeActions.as_view(), name="dispute-actions"),
    path("metrics/disputes/", disputes.DisputeFigures.as_view(), name="dispute-figures"),
    path(
        "relocation/households/",
        relocation.RelocatedList.as_view(),
        name="relocated-households",
    ),
    path(
        "relocation/households/<int:pk>/",
        relocation.RelocatedDetail.as_view(),
        name="relocated-household",
    ),
    path(
        "relocation/households/<int:pk>/generate/",
        relocation.RelocatedGenerate.as_view(),
        name="relocated-generate",
    ),
    path(
        "relocation/households/<int:pk>/items/<int:item_pk>/actions/",
        relocation.ItemActions.as_view(),
        name="relocated-item-actions",
    ),
    path("relocation/items/", relocation.ItemList.as_view(), name="relocation-items"),
    path("relocation/omissions/", relocation.OmissionList.as_view(), name="relocation-omissions"),
    path(
        "relocation/entitlements/",
        relocation.EntitlementList.as_view(),
        name="relocation-entitlements",
    ),
    path("metrics/relocation/", relocation.RelocationFigures.as_view(), name="relocation-figures"),
    path("metrics/dashboard/", dashboard.DashboardMetrics.as_view(), name="dashboard-metrics"),
    path("me/password/", accounts_api.MyPassword.as_view(), name="my-password"),
    path("accounts/", accounts.AccountList.as_view(), name="accounts"),
    path("accounts/<int:pk>/", accounts.AccountDetail.as_view(), name="account"),
    path(
        "accounts/<int:pk>/disable/",
        accounts.AccountAction.as_view(action="disable"),
        name="account-disable",
    ),
    path(
        "accounts/<int:pk>/enable/",
        accounts.AccountAction.as_view(action="enable"),
        name="account-enable",
    ),
    path(
        "accounts/<int:pk>/unlock/",
        accounts.AccountAction.as_view(action="unlock"),
        name="account-unlock",
    ),
    path(
        "accounts/<int:pk>/reset-password/",
        accounts.AccountResetPassword.as_view(),
        name="account-reset-password",
    ),
    path("accounts/<int:pk>/posts/", accounts.AccountPosts.as_view(), name="account-posts"),
    path(
        "accounts/<int:pk>/posts/<int:post_pk>/end/",
        accounts.AccountPostEnd.as_view(),
        name="account-post-end",
    ),
    path(
        "accounts/<int:pk>/sessions/", accounts.AccountSessions.as_view(), name="account-sessions"
    ),
    path(
        "accounts/<int:pk>/sessions/<int:session_pk>/",
        accounts.AccountSessionEnd.as_view(),
        name="account-session",
    ),
    path("accounts/<int:pk>/tokens/", accounts.AccountTokens.as_view(), name="account-tokens"),
    path(
        "accounts/<int:pk>/tokens/<int:token_pk>/",
        accounts.AccountToken.as_view(),
        name="account-token",
    ),
    path("cadres/", cadres.CadreList.as_view(), name="cadres"),
    path("cadres/<int:pk>/", cadres.CadreDetail.as_view(), name="cadre"),
    path("cadres/<int:pk>/terms/", cadres.CadreTerms.as_view(), name="cadre-terms"),
    path("cadres/<int:pk>/reveal/", cadres.CadreReveal.as_view(), name="cadre-reveal"),
    path("cadres/<int:pk>/account/", cadres.CadreAccount.as_view(), name="cadre-account"),
    path("cadre-schemes/", cadres.SchemeSet.as_view(), name="cadre-schemes"),
    path("cadre-pay-rules/", cadres.PayRuleSet.as_view(), name="cadre-pay-rules"),
    path("appraisals/", cadres.AppraisalList.as_view(), name="appraisals"),
    path("appraisals/<int:pk>/", cadres.AppraisalDetail.as_view(), name="appraisal"),
    path("appraisals/<int:pk>/inputs/", cadres.AppraisalInputs.as_view(), name="appraisal-inputs"),
    path(
        "appraisals/<int:pk>/actions/", cadres.AppraisalActions.as_view(), name="appraisal-actions"
    ),
    path("appraisals/<int:pk>/codes/", cadres.AppraisalCodes.as_view(), name="appraisal-codes"),
    path(
        "appraisals/<int:pk>/ballots/",
        cadres.AppraisalBallotImport.as_view(),
        name="appraisal-ballots",
    ),
    path(
        "appraisals/<int:pk>/prefill/", cadres.AppraisalPrefill.as_view(), name="appraisal-prefill"
    ),
    path("ballots/", cadres.BallotCast.as_view(), name="ballots"),
    path("pay-sheets/", cadres.SheetList.as_view(), name="pay-sheets"),
    path("pay-sheets/<int:pk>/", cadres.SheetDetail.as_view(), name="pay-sheet"),
    path("pay-sheets/<int:pk>/lines/", cadres.SheetLines.as_view(), name="pay-sheet-lines"),
    path("pay-sheets/<int:pk>/confirm/", cadres.SheetConfirm.as_view(), name="pay-sheet-confirm"),
    path("pay-sheets/<int:pk>/xlsx/", cadres.SheetExport.as_view(), name="pay-sheet-xlsx"),
    path("training-sessions/", training.SessionList.as_view(), name="training-sessions"),
    path("training-sessions/<int:pk>/", training.SessionDetail.as_view(), name="training-session"),
    path(
        "training-sessions/<int:pk>/enrol/",
        training.SessionEnrol.as_view(),
        name="training-session-enrol",
    ),
    path(
        "training-sessions/<int:pk>/unenrol/",
        training.SessionUnenrol.as_view(),
        name="training-session-unenrol",
    ),
    path(
        "training-sessions/<int:pk>/attendance/",
        training.SessionAttendance.as_view(),
        name="training-session-attendance",
    ),
    path(
        "training-sessions/<int:pk>/signin-codes/",
        training.SessionSignInCode.as_view(),
        name="training-session-signin-codes",
    ),
    path(
        "training-sessions/<int:pk>/signin/",
        training.SessionSignIn.as_view(),
        name="training-session-signin",
    ),
    path(
        "training-sessions/<int:pk>/attendance-import/",
        training.SessionAttendanceImport.as_view(),
        name="training-session-attendance-import",
    ),
    path("training-coverage/", training.Coverage.as_view(), name="training-coverage"),
    path("collective-assets/", assets.AssetList.as_view(), name="collective-assets"),
    path("asset-problems/", assets.ProblemList.as_view(), name="asset-problems"),
    path("asset-problems/<int:pk>/", assets.ProblemDetail.as_view(), name="asset-problem"),
    path(
        "asset-problems/<int:pk>/actions/",
        assets.ProblemActions.as_view(),
        name="asset-problem-actions",
    ),
    path("asset-totals/", assets.Totals.as_view(), name="asset-totals"),
    path("reports/templates/", reports.TemplateList.as_view(), name="report-templates"),
    path(
        "reports/templates/<slug:code>/fill/",
        reports.TemplateFill.as_view(),
        name="report-template-fill",
    ),
    path(
        "reports/templates/<slug:code>/ledger.xlsx",
        reports.TemplateXlsx.as_view(),
        name="report-template-xlsx",
    ),
    path("reports/requests/", reports.RequestList.as_view(), name="report-requests"),
    path("reports/requests/<int:pk>/", reports.RequestDetail.as_view(), name="report-request"),
    path(
        "reports/answers/<int:pk>/confirm/",
        reports.AnswerConfirm.as_view(),
        name="report-answer-confirm",
    ),
]
