from django.urls import path

from . import views

urlpatterns = [
    path("registers/", views.index, name="registers"),
    path("registers/<str:book>/<int:year>/", views.book, name="register"),
    path("registers/<str:book>/<int:year>/export.<str:fmt>", views.export, name="register-export"),
    path("registrations/<uuid:entry_id>/cancel/", views.cancel, name="entry-cancel"),
]
