from django.urls import path

from . import views

urlpatterns = [
    path("ops/health/", views.health, name="ops-health"),
]
