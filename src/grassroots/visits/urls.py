from django.urls import path

from grassroots.visits import views, views_coverage, views_links, views_plans

app_name = "visits"
urlpatterns = [
    path("", views.due_page, name="due"),
    path("new/", views.visit_form, name="new"),
    path("log/", views.visit_log_page, name="log"),
    path("coverage/", views_coverage.plan_page, name="coverage"),
    path("<int:pk>/", views.visit_page, name="visit"),
    path("<int:pk>/case/", views.visit_case, name="visit-case"),
    path("<int:pk>/dispute/", views.visit_dispute, name="visit-dispute"),
    path("photos/<int:pk>/", views_links.photo_file, name="photo"),
    path("proposals/", views_links.proposal_page, name="proposals"),
    path("proposals/<int:pk>/decide/", views_links.proposal_decide, name="proposal-decide"),
    path("pairings/", views.pairing_page, name="pairings"),
    path("plans/", views_plans.plan_page, name="plans"),
    path("plans/add/", views_plans.plan_add, name="plan-add"),
    path("plans/<int:pk>/", views_plans.plan_change, name="plan-change"),
    path("plans/<int:pk>/remove/", views_plans.plan_remove, name="plan-remove"),
]
