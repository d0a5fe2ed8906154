from django.urls import path

from grassroots.relocation import views

app_name = "relocation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("households/", views.household_list, name="households"),
    path("households/<int:pk>/", views.household_page, name="household"),
    path("households/<int:pk>/items/<int:item_pk>/", views.item_act, name="act"),
    path("items/", views.item_list, name="items"),
    path("omissions/", views.omission_list, name="omissions"),
]
