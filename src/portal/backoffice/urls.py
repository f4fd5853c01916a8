from django.urls import path

from portal.backoffice import billing_views, holiday_views, permit_views, views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("member-requests/", views.member_requests, name="member_requests"),
    path(
        "member-requests/<int:request_id>/",
        views.member_request_detail,
        name="member_request_detail",
    ),
    path(
        "member-requests/<int:request_id>/evidence/",
        views.member_request_evidence,
        name="member_request_evidence",
    ),
    path("businesses/", views.holdings, name="holdings"),
    path("businesses/<int:holding_id>/", views.holding_detail, name="holding_detail"),
    path(
        "businesses/<int:holding_id>/documents/<int:document_id>/",
        views.holding_document,
        name="holding_document",
    ),
    path("removals/", views.removals, name="removals"),
    path("removals/<int:request_id>/", views.removal_detail, name="removal_detail"),
    path("removals/<int:request_id>/letter/", views.removal_letter, name="removal_letter"),
    path("bills/", billing_views.bills, name="bills"),
    path("bills/issue/", billing_views.bill_issue_page, name="bill_issue"),
    path("bills/<int:bill_id>/", billing_views.bill_detail, name="bill_detail"),
    path("bills/run/", billing_views.bill_run_start_page, name="bill_run_start"),
    path("bills/runs/<int:run_id>/", billing_views.bill_run_progress, name="bill_run_progress"),
    path("fee-tables/", billing_views.fee_tables, name="fee_tables"),
    path(
        "fee-tables/<int:table_id>/revise/",
        billing_views.fee_table_revise_page,
        name="fee_table_revise",
    ),
    path("permits/", permit_views.permits_queue, name="permits_queue"),
    path("permits/statistics/", permit_views.permit_statistics, name="permit_statistics"),
    path("permits/<int:application_id>/", permit_views.permit_detail, name="permit_detail"),
    path(
        "permits/<int:application_id>/files/<int:file_id>/",
        permit_views.permit_file,
        name="permit_file",
    ),
    path("permits/<int:application_id>/letter/", permit_views.permit_letter, name="permit_letter"),
    path("permits/<int:application_id>/assign/", permit_views.permit_assign, name="permit_assign"),
    path("permits/<int:application_id>/accept/", permit_views.permit_accept, name="permit_accept"),
    path(
        "permits/<int:application_id>/deficiency/",
        permit_views.permit_deficiency,
        name="permit_deficiency",
    ),
    path(
        "permits/<int:application_id>/inspection/",
        permit_views.permit_inspection,
        name="permit_inspection",
    ),
    path(
        "permits/<int:application_id>/advance/", permit_views.permit_advance, name="permit_advance"
    ),
    path("permits/<int:application_id>/decide/", permit_views.permit_decide, name="permit_decide"),
    path("holidays/", holiday_views.holidays, name="holidays"),
    path("holidays/add/", holiday_views.holiday_add, name="holiday_add"),
    path("holidays/<int:holiday_id>/remove/", holiday_views.holiday_remove, name="holiday_remove"),
    path("two-factor-reset/", views.two_factor_reset, name="two_factor_reset"),
    path("payment-issues/", views.payment_issues, name="payment_issues"),
    path("payment-issues/<int:issue_id>/", views.payment_issue_detail, name="payment_issue_detail"),
]
