from django.urls import path

from . import health, metrics, views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("ops/health/", views.health, name="ops-health"),
    path("manage/", views.manage, name="ops-manage"),
]
