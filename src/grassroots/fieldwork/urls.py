from django.urls import path

from grassroots.fieldwork import views

app_name = "fieldwork"
urlpatterns = [
    path("sw.js", views.service_worker, name="sw"),
    path("fieldwork/state/", views.state, name="state"),
]
