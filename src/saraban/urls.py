from django.urls import include, path

from saraban.api.app import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("saraban.exchange.urls")),
    path("", include("saraban.routing.urls")),
    path("", include("saraban.drafting.urls")),
    path("", include("saraban.web.agency.urls")),
    path("", include("saraban.web.urls")),
]
