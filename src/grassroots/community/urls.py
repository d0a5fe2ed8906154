from django.urls import path

from grassroots.community import views

app_name = "community"
urlpatterns = [
    path("", views.index_page, name="index"),
    path("rows/", views.rows_page, name="rows"),
    path("<int:pk>/", views.community_page, name="page"),
]
