from django.urls import path

from grassroots.training import views

app_name = "training"
urlpatterns = [
    path("", views.home, name="home"),
    path("sessions/<int:pk>/", views.session_page, name="session"),
    path("sessions/<int:pk>/roll-call/", views.roll_call, name="roll-call"),
    path("sessions/<int:pk>/sign-in/", views.signin_page, name="signin"),
    path("certificates/<int:pk>/", views.certificate_page, name="certificate"),
    path("rows/", views.rows_page, name="rows"),
]
