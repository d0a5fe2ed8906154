from django.urls import path

from grassroots.cadres import config_views, views

app_name = "cadres"
urlpatterns = [
    path("", views.home, name="home"),
    path("committee/<int:area>/", views.committee, name="committee"),
    path("<int:pk>/", views.cadre_page, name="cadre"),
    path("appraisals/", views.appraisal_list, name="appraisals"),
    path("me/", views.own_record, name="me"),
    path("config/", config_views.config_page, name="config"),
    path("pay-lines/", views.pay_line_list, name="pay-lines"),
    path("sheets/", views.sheet_list, name="sheets"),
    path("sheets/<int:pk>/", views.sheet_page, name="sheet"),
    path("sheets/<int:pk>/xlsx/", views.sheet_xlsx_download, name="sheet-xlsx"),
]
