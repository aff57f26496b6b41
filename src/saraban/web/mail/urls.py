from django.urls import path

from . import views

urlpatterns = [
    path("mail/", views.inbox, name="mail-inbox"),
    path("mail/health/", views.health_page, name="mail-health"),
    path("mail/settings/", views.settings_page, name="mail-settings"),
    path("mail/<uuid:mail_id>/", views.detail, name="mail-detail"),
    path("mail/<uuid:mail_id>/original.eml", views.original, name="mail-original"),
    path("mail/<uuid:mail_id>/release/", views.release, name="mail-release"),
    path("mail/<uuid:mail_id>/discard/", views.discard, name="mail-discard"),
    path("mail/<uuid:mail_id>/letter/", views.choose_letter, name="mail-letter"),
    path("mail/<uuid:mail_id>/reply/", views.reply, name="mail-reply"),
]
