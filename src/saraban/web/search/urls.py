from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.page, name="search"),
    path("search/instant/", views.instant, name="search-instant"),
    path("search/saved/", views.save, name="search-save"),
    path("search/saved/<int:saved_id>/delete/", views.delete_saved, name="search-delete-saved"),
    path("letters/<uuid:letter_id>/files/<uuid:file_id>/ocr/", views.request_ocr, name="search-ocr"),
    path("letters/<uuid:letter_id>/text/", views.text_status, name="search-text-status"),
]
