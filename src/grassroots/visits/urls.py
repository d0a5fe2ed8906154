from django.urls import path

from grassroots.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.due_page, name="due"),
    path("new/", views.visit_form, name="new"),
    path("log/", views.visit_log_page, name="log"),
    path("<int:pk>/", views.visit_page, name="visit"),
    path("<int:pk>/case/", views.visit_case, name="visit-case"),
    path("pairings/", views.pairing_page, name="pairings"),
]
