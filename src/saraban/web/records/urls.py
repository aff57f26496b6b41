from django.urls import path

from . import dashboard, lending, views

urlpatterns = [
    path("records/", views.index, name="records"),
    path("records/plan/", views.plan, name="records-plan"),
    path("records/plan/save/", views.plan_save, name="records-plan-save"),
    path("records/plan/import/", views.plan_import, name="records-plan-import"),
    path("records/plan/export.<str:fmt>", views.plan_export, name="records-plan-export"),
    path("records/file/<uuid:letter_id>/", views.file_letter, name="records-file"),
    path("records/store/", views.store, name="records-store"),
    path("records/forms/<str:form>.<str:fmt>", views.form_export, name="records-form"),
    path("records/lists/new/", views.list_new, name="records-list-new"),
    path("records/lists/<uuid:list_id>/", views.list_detail, name="records-list"),
    path("records/lists/<uuid:list_id>/<str:step>/", views.list_step, name="records-list-step"),
    path("records/lists/<uuid:list_id>/print/<str:which>.<str:fmt>", views.list_print, name="records-list-print"),
    path("records/handover/<int:year>/package.zip", views.handover_zip, name="records-handover"),
    path("records/dashboard/", dashboard.dashboard, name="records-dashboard"),
    path("records/dashboard/export.<str:fmt>", dashboard.dashboard_export, name="records-dashboard-export"),
    path("records/loans/", dashboard.loans, name="records-loans"),
    path("records/loans/export.<str:fmt>", dashboard.loans_export, name="records-loans-export"),
    path("records/loans/lend/<uuid:letter_id>/", lending.lend_letter, name="records-lend"),
    path("records/loans/<uuid:loan_id>/return/", lending.return_letter, name="records-loan-return"),
    path("records/loans/<uuid:loan_id>/certify/", lending.certify, name="records-loan-certify"),
    path("records/copies/<uuid:copy_id>/", lending.copy_download, name="records-copy"),
    path("records/regrade/<uuid:letter_id>/", lending.regrade_letter, name="records-regrade"),
]
