from django.urls import include, path

from saraban.api.app import api

urlpatterns = [
    path("", include("saraban.ops.urls")),
    path("api/v1/", api.urls),
    path("", include("saraban.web.urls")),
]

# Django's own failures answer like ours: coded JSON on /api/, a Thai page elsewhere (saraban.transport.errors)
handler400 = "saraban.transport.errors.bad_request"
handler403 = "saraban.transport.errors.forbidden"
handler404 = "saraban.transport.errors.not_found"
handler500 = "saraban.transport.errors.server_error"
