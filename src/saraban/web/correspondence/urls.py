from django.urls import path

from . import views

urlpatterns = [
    path("letters/<uuid:letter_id>/reply/", views.reply, name="letter-reply"),
    path("letters/<uuid:letter_id>/forward/", views.forward, name="letter-forward"),
    path("letters/<uuid:letter_id>/receipt.pdf", views.receipt, name="letter-receipt"),
]
