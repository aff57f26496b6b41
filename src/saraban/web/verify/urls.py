from django.urls import path

from . import views

urlpatterns = [
    path("letters/<uuid:letter_id>/signatures/", views.letter_signatures, name="letter-signatures"),
    path("verify/", views.verify_any, name="verify-any"),
    path("verify/<str:token>", views.verify_token, name="verify"),
    path("verify/<str:token>/", views.verify_token),
]
