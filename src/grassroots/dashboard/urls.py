from django.urls import path

from grassroots.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard_home, name="home"),
    path("area/<int:pk>/", views.dashboard_area, name="area"),
    path("area/<int:pk>/report/", views.monthly_report, name="report"),
    path("area/<int:pk>/health/", views.grid_health_page, name="health"),
    path("area/<int:pk>/export/<slug:table>.xlsx", views.export, name="export"),
    path("area/<int:pk>/figures.json", views.dashboard_json, name="json"),
    path("map/", views.map_page, name="map"),
    path("area/<int:pk>/map/", views.map_page, name="area-map"),
    path("map/data/", views.map_data, name="map-data"),
]
