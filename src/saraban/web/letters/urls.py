from django.urls import path

from . import views

urlpatterns = [
    path("letters/<uuid:letter_id>/", views.letter, name="letter"),
    path("letters/<uuid:letter_id>/preview/", views.preview, name="letter-preview"),
    path("letters/<uuid:letter_id>/files/<uuid:file_id>", views.file_download, name="letter-file"),
    path("letters/<uuid:letter_id>/files/<uuid:file_id>/page/<int:page>.png", views.page_png,
         name="letter-page"),
]
