from django.urls import path

from . import views_auth, views_desk, views_letters, views_registers

urlpatterns = [
    path("login/", views_auth.login_view, name="login"),
    path("logout/", views_auth.logout_view, name="logout"),
    path("account/totp/", views_auth.totp_setup, name="totp-setup"),
    path("", views_desk.desk, name="desk"),
    path("intake/upload/", views_desk.upload, name="intake-upload"),
    path("intake/<uuid:item_id>/", views_desk.intake_form, name="intake-form"),
    path("intake/<uuid:item_id>/register/", views_desk.intake_register, name="intake-register"),
    path("intake/<uuid:item_id>/reject/", views_desk.intake_reject, name="intake-reject"),
    path("intake/<uuid:item_id>/files/<uuid:file_id>/page/<int:page>.png", views_desk.intake_page_png,
         name="intake-page"),
    path("outgoing/", views_desk.outgoing, name="outgoing"),
    path("placeholder/", views_desk.placeholder, name="placeholder"),
    path("registers/", views_registers.index, name="registers"),
    path("registers/<str:book>/<int:year>/", views_registers.book, name="register"),
    path("registers/<str:book>/<int:year>/export.<str:fmt>", views_registers.export, name="register-export"),
    path("registrations/<uuid:entry_id>/cancel/", views_registers.cancel, name="entry-cancel"),
    path("letters/<uuid:letter_id>/", views_letters.letter, name="letter"),
    path("letters/<uuid:letter_id>/files/<uuid:file_id>", views_letters.file_download, name="letter-file"),
    path("letters/<uuid:letter_id>/files/<uuid:file_id>/page/<int:page>.png", views_letters.page_png,
         name="letter-page"),
]
