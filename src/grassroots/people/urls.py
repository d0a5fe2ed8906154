from django.urls import path

from grassroots.people import views, views_transfers

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("households/", views.household_list, name="households"),
    path("households/<int:pk>/", views.household_card, name="household"),
    path("residents/<int:pk>/", views.resident_profile, name="resident"),
    path("transfers/", views_transfers.transfer_requests, name="transfers"),
]
