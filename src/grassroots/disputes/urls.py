from django.urls import path

from grassroots.disputes import views, views_parties

app_name = "disputes"
urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("new/", views.dispute_screen, name="screen"),
    path("new/residents/", views_parties.resident_search, name="residents"),
    path("new/party/", views_parties.party_fill, name="party"),
    path("figures/", views.dispute_figures, name="figures"),
    path("<int:pk>/", views.dispute_page, name="dispute"),
    path("<int:pk>/mediate/", views.dispute_mediate, name="mediate"),
    path("<int:pk>/act/", views.dispute_act, name="act"),
    path("agreements/<int:pk>/", views.agreement_download, name="agreement"),
]
