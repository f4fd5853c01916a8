"""The member's bill pages; src/portal/urls.py includes them at the root. The bill tab sits
under the factory's own address (the factory page links to it by name only)."""

from django.urls import path

from portal.billing import views

app_name = "billing"
urlpatterns = [
    path("factories/<int:factory_holding_id>/bills/", views.factory_bills, name="factory_bills"),
    path("bills/", views.bill_list, name="bill_list"),
    path("bills/<int:bill_id>/", views.bill_detail, name="bill_detail"),
    path("bills/<int:bill_id>/pay/", views.bill_pay, name="bill_pay"),
    path("bills/<int:bill_id>/qr.png", views.bill_qr, name="bill_qr"),
    path("bills/<int:bill_id>/barcode.png", views.bill_barcode, name="bill_barcode"),
    path("bills/<int:bill_id>/status/", views.bill_status, name="bill_status"),
    path("bills/<int:bill_id>/bill.pdf", views.bill_pdf, name="bill_pdf"),
    path("bills/<int:bill_id>/receipt/", views.bill_receipt, name="bill_receipt"),
]
