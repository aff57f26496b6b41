from django.urls import path

from . import views

urlpatterns = [
    path("records/dashboard/", views.dashboard, name="records-dashboard"),
    path("records/dashboard/export.<str:fmt>", views.dashboard_export, name="records-dashboard-export"),
    path("records/loans/", views.loans, name="records-loans"),
    path("records/loans/export.<str:fmt>", views.loans_export, name="records-loans-export"),
]
