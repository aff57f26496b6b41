from django.urls import path

from . import views

urlpatterns = [
    path("settings/emblems/", views.emblems, name="agency-emblems"),
    path("settings/emblems/<slug:code>/upload/", views.upload, name="agency-emblem-upload"),
    path("settings/emblems/<slug:code>/clear/", views.clear, name="agency-emblem-clear"),
    path("settings/emblems/<slug:code>/layout/", views.layout, name="agency-emblem-layout"),
    path("settings/emblems/<slug:code>/sample.png", views.sample, name="agency-emblem-sample"),
]
