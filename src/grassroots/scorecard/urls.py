from django.urls import path

from grassroots.scorecard import views

app_name = "scorecard"
urlpatterns = [
    path("", views.scorecard_home, name="home"),
    path("rows/", views.rows_page, name="rows"),
    path("<int:pk>/", views.scorecard_area, name="area"),
    path("<int:pk>/scorecard.xlsx", views.scorecard_export, name="export"),
]
