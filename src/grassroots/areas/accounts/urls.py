"""Pages of account administration, under /accounts/ (the security administrator's)."""

from django.urls import path

from grassroots.areas.accounts import otp, views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_new, name="new"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/reset-password/", views.account_reset_password, name="reset_password"),
    path("<int:pk>/posts/", views.post_assign, name="post_assign"),
    path("<int:pk>/posts/<int:post_pk>/end/", views.post_end, name="post_end"),
    path("<int:pk>/sessions/<int:session_pk>/end/", views.session_end, name="session_end"),
    path("<int:pk>/tokens/end/", views.tokens_end, name="tokens_end"),
    path("<int:pk>/tokens/<int:token_pk>/end/", views.token_end, name="token_end"),
    path("<int:pk>/second-factor/reset/", otp.second_factor_reset_view, name="otp_reset"),
    path("<int:pk>/<str:action>/", views.account_action, name="action"),
]
