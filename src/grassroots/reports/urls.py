from django.urls import path

from grassroots.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("t/<slug:code>/", views.ledger_page, name="ledger"),
    path("t/<slug:code>/ledger.xlsx", views.ledger_download, name="ledger-xlsx"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_page, name="request"),
    path("answers/<int:pk>/confirm/", views.answer_confirm, name="answer-confirm"),
    path("answers/<int:pk>/file.xlsx", views.answer_file, name="answer-file"),
]
