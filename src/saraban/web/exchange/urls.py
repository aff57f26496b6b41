from django.urls import path

from . import views

urlpatterns = [
    path(".well-known/sbx", views.well_known, name="sbx-well-known"),
    path(".well-known/sbx.p7s", views.well_known_signature, name="sbx-well-known-sig"),
    path("sbx/v1/schemas/<str:name>", views.schema, name="sbx-schema"),
    path("exchange/dashboard/", views.dashboard, name="exchange-dashboard"),
    path("exchange/awaiting/", views.awaiting, name="exchange-awaiting"),
    path("exchange/letters/<uuid:letter_id>/panel/", views.panel, name="exchange-panel"),
    path("exchange/directory/", views.directory_page, name="exchange-directory"),
    path("exchange/letters/<uuid:letter_id>/send/", views.send, name="exchange-send"),
    path("exchange/letters/<uuid:letter_id>/invalid/", views.invalid, name="exchange-invalid"),
    path("exchange/dispatches/<uuid:dispatch_id>/withdraw/", views.withdraw, name="exchange-withdraw"),
    path("exchange/dispatches/<uuid:dispatch_id>/dispute/", views.dispute, name="exchange-dispute"),
    path("exchange/dispatches/<uuid:dispatch_id>/fallback/", views.fallback, name="exchange-fallback"),
]
