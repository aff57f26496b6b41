from django.urls import path

from . import views

urlpatterns = [
    path("drafts/", views.index, name="drafts"),
    path("drafts/new/", views.create, name="draft-new"),
    path("drafts/<uuid:draft_id>/", views.editor, name="draft"),
    path("drafts/<uuid:draft_id>/save/", views.save, name="draft-save"),
    path("drafts/<uuid:draft_id>/preview/", views.live_preview, name="draft-preview"),
    path("drafts/<uuid:draft_id>/preview.pdf", views.preview_pdf, name="draft-preview-pdf"),
    path("drafts/<uuid:draft_id>/people/", views.people, name="draft-people"),
    path("drafts/<uuid:draft_id>/submit/", views.submit, name="draft-submit"),
    path("drafts/<uuid:draft_id>/decide/", views.decide, name="draft-decide"),
    path("drafts/<uuid:draft_id>/comment/", views.comment, name="draft-comment"),
    path("drafts/<uuid:draft_id>/cancel/", views.cancel, name="draft-cancel"),
    path("drafts/<uuid:draft_id>/sign/", views.sign, name="draft-sign"),
    path("drafts/<uuid:draft_id>/versions/<int:number>/diff/", views.version_diff, name="draft-diff"),
    path("letters/<uuid:letter_id>/file-copy.pdf", views.file_copy, name="letter-file-copy"),
]
