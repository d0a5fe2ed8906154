"""Open311 GeoReport v2 under /open311/v2/, each endpoint in `.json` and `.xml`."""

from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path

from grassroots.open311 import views

FMT = r"\.(?P<fmt>json|xml)$"


def root(request: HttpRequest) -> HttpResponse:
    return views.discovery(request, "json")


app_name = "open311"
urlpatterns = [
    path("", root, name="root"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[^/]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests_, name="requests"),
    re_path(r"^requests/(?P<pk>[^/]+)" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<value>[^/]+)" + FMT, views.token, name="token"),
]
