"""Every error a person can meet is in Thai (and English): the framework's own form errors, the
robot check's, and the 403 page (issue 8)."""

import re

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation

from portal.core.views import permission_denied


class _Form(forms.Form):
    name = forms.CharField(max_length=5)
    short = forms.CharField(min_length=3)
    colour = forms.ChoiceField(choices=[("red", "red")])
    count = forms.IntegerField()
    amount = forms.DecimalField(max_digits=4, decimal_places=1)


def _errors(language: str) -> dict[str, list[str]]:
    data = {"name": "x" * 9, "short": "ab", "colour": "blue", "count": "many", "amount": "1.25"}
    with translation.override(language):
        return {name: list(errors) for name, errors in _Form(data).errors.items()}


def test_the_frameworks_form_errors_are_in_thai():
    assert _errors("th") == {
        "name": ["กรุณากรอกไม่เกิน 5 ตัวอักษร (ขณะนี้มี 9 ตัวอักษร)"],
        "short": ["กรุณากรอกอย่างน้อย 3 ตัวอักษร (ขณะนี้มี 2 ตัวอักษร)"],
        "colour": ["กรุณาเลือกจากตัวเลือกที่มี (“blue” ไม่อยู่ในตัวเลือก)"],
        "count": ["กรุณากรอกเป็นจำนวนเต็ม"],
        "amount": ["กรุณากรอกทศนิยมไม่เกิน 1 ตำแหน่ง"],
    }
    with translation.override("th"):
        assert _Form({}).errors["count"] == ["กรุณากรอกข้อมูลช่องนี้"]


def test_the_frameworks_form_errors_stay_english_in_english():
    assert _errors("en")["name"] == ["Ensure this value has at most 5 characters (it has 9)."]


@pytest.mark.django_db
def test_the_robot_check_speaks_thai(client):
    page = client.get("/accounts/login/").content.decode()
    widget = re.search(r"<altcha-widget[^>]*>", page)[0]
    assert 'language="th"' in widget
    assert "/static/core/js/altcha-th.js" in page  # the widget's own Thai strings
    response = client.post("/accounts/login/", {"national_id": "1", "password": "x"})
    assert response.context["form"].errors["robot"] == [
        "กรุณาติ๊กช่อง “ฉันไม่ใช่โปรแกรมอัตโนมัติ” เพื่อยืนยันว่าท่านไม่ใช่โปรแกรมอัตโนมัติ"
    ]


@pytest.mark.django_db
def test_403_is_the_portals_page_in_thai():
    request = RequestFactory().get("/backoffice/")
    request.user = AnonymousUser()
    with translation.override("th"):
        page = permission_denied(request)
    assert page.status_code == 403
    html = page.content.decode()
    assert "ไม่มีสิทธิ์เข้าถึง" in html and 'data-testid="error-page"' in html
