from django.urls import path

from grassroots.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.browser, name="browser"),
    path("<int:pk>/", views.area_page, name="area"),
    path("units/", views.unit_list, name="units"),
    path("posts/", views.post_list, name="posts"),
    path("posts/<int:pk>/", views.post_page, name="post"),
]
