from django.urls import path

from . import views

urlpatterns = [
    path("desk/", views.desk, name="desk"),
    path("intake/upload/", views.upload, name="intake-upload"),
    path("intake/bulk/register/", views.bulk_register, name="intake-bulk-register"),
    path("intake/<uuid:item_id>/", views.intake_form, name="intake-form"),
    path("intake/<uuid:item_id>/register/", views.intake_register, name="intake-register"),
    path("intake/<uuid:item_id>/reject/", views.intake_reject, name="intake-reject"),
    path("intake/<uuid:item_id>/files/", views.intake_files, name="intake-files"),
    path("intake/<uuid:item_id>/files/<uuid:file_id>/page/<int:page>.png", views.intake_page_png,
         name="intake-page"),
    path("outgoing/", views.outgoing, name="outgoing"),
    path("placeholder/", views.placeholder, name="placeholder"),
]
