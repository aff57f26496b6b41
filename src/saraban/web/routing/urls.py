from django.urls import path

from . import line, views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/bulk/", views.inbox_bulk, name="inbox-bulk"),
    path("routing/notifications/read/", views.notifications_read, name="routing-notifications-read"),
    path("routing/letters/<uuid:letter_id>/distribute/", views.distribute, name="routing-distribute"),
    path("routing/letters/<uuid:letter_id>/endorse/", views.endorse, name="routing-endorse"),
    path("routing/letters/<uuid:letter_id>/assign/", views.assign, name="routing-assign"),
    path("routing/letters/<uuid:letter_id>/remind/", views.remind, name="routing-remind"),
    path("routing/letters/<uuid:letter_id>/register-copy/", views.register_copy, name="routing-register-copy"),
    path("routing/letters/<uuid:letter_id>/template/<uuid:template_id>/", views.apply_template,
         name="routing-apply-template"),
    path("routing/letters/<uuid:letter_id>/steps/<uuid:step_id>/files/<uuid:file_id>", views.report_file,
         name="routing-report-file"),
    path("routing/letters/<uuid:letter_id>/steps/<uuid:step_id>/<str:verb>/", views.step_verb, name="routing-step"),
    path("routing/holidays/", views.holidays, name="routing-holidays"),
    path("routing/templates/", views.templates, name="routing-templates"),
    path("routing/settings/", views.preferences, name="routing-settings"),
    path("routing/settings/line/link/", line.link_start, name="routing-line-link"),
    path("routing/settings/line/unlink/", line.unlink, name="routing-line-unlink"),
    path("hooks/line", line.webhook, name="line-webhook"),
]
