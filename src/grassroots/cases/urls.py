from django.urls import path

from grassroots.cases.suggest import views as suggest
from grassroots.cases.views import attachments, case, desk, figures, patrol, queue

app_name = "cases"
urlpatterns = [
    path("", queue.case_queue, name="queue"),
    path("overdue/", queue.case_queue, {"preset": "overdue"}, name="overdue"),
    path("supervised/", queue.case_queue, {"preset": "supervised"}, name="supervised"),
    path("<int:pk>/", case.case_page, name="case"),
    path("<int:pk>/reveal/", case.case_reveal, name="case-reveal"),
    path("<int:pk>/print/", case.case_print, name="case-print"),
    path("desk/", desk.desk, name="desk"),
    path("desk/lookup/", desk.desk_lookup, name="desk-lookup"),
    path("desk/matters/", desk.desk_matters, name="desk-matters"),
    path("desk/route/", desk.desk_route, name="desk-route"),
    path("desk/questions/", desk.desk_questions, name="desk-questions"),
    path("desk/suggest/", suggest.desk_suggest, name="desk-suggest"),
    path("suggest/", suggest.suggest_status, name="suggest-status"),
    path("desk/articles/", desk.desk_articles, name="desk-articles"),
    path("desk/places/", desk.desk_places, name="desk-places"),
    path("report/", patrol.patrol_report, name="report"),
    path("figures/", figures.case_figures, name="figures"),
    path("attachments/<int:pk>/", attachments.attachment_download, name="attachment"),
]
