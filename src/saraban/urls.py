from django.urls import include, path

from saraban.api.app import api

urlpatterns = [
    path("", include("saraban.ops.urls")),
    path("api/v1/", api.urls),
    path("", include("saraban.ops.urls")),
    path("", include("saraban.web.urls")),
]

handler400 = "saraban.web.errors.bad_request"
handler403 = "saraban.web.errors.permission_denied"
handler404 = "saraban.web.errors.page_not_found"
handler500 = "saraban.web.errors.server_error"
