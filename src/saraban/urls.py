from django.urls import include, path

from saraban.api.app import api

urlpatterns = [
    path("", include("saraban.ops.urls")),
    path("api/v1/", api.urls),
    path("", include("saraban.web.urls")),
]
