from django.urls import path

from . import views

urlpatterns = [
    path("help/", views.index, name="help"),
    path("help/img/<str:name>", views.image, name="help-image"),
    path("help/<slug:slug>/", views.show, name="help-page"),
]
