"""Every page of the web UI, area by area (the order is the order URLs are matched in)."""

from django.urls import include, path

from . import panels

urlpatterns = [
    path("", include("saraban.web.home.urls")),
    path("", include("saraban.web.exchange.urls")),
    path("", include("saraban.web.mail.urls")),
    path("", include("saraban.web.search.urls")),
    path("", include("saraban.web.routing.urls")),
    path("", include("saraban.web.drafting.urls")),
    path("", include("saraban.web.verify.urls")),
    path("", include("saraban.web.auth.urls")),
    path("", include("saraban.web.desk.urls")),
    path("", include("saraban.web.registers.urls")),
    path("", include("saraban.web.records.urls")),
    path("", include("saraban.web.correspondence.urls")),
    path("", include("saraban.web.letters.urls")),
    path("", include("saraban.web.agency.urls")),
    path("", include("saraban.web.records.urls")),
    path("", include("saraban.web.help.urls")),
]

panels.register_all()  # every area's panels and links, as the URLconf loads (the server's warm-up does that)
