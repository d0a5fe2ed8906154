from django.urls import path

from grassroots.assets import views

app_name = "assets"
urlpatterns = [
    path("", views.home, name="home"),
    path("rows/", views.rows_page, name="rows"),
    path("ledger.xlsx", views.ledger_download, name="ledger"),
]
