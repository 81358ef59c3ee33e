"""The operator admin shows district maps and changes nothing: a map changes by import."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.districts.models import DistrictSet
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_admin_lists_maps_and_wards_read_only(client: Client, wards: DistrictSet) -> None:
    client.force_login(User.objects.create_superuser("ops@groundswell.example", PASSWORD))
    page = client.get(reverse("admin:districts_districtset_changelist")).content.decode()
    assert "chicago-wards-2023" in page and ">50<" in page
    ward = wards.districts.get(number=12)
    detail = client.get(reverse("admin:districts_district_change", args=[ward.pk]))
    assert detail.status_code == 200 and "ward:12" in detail.content.decode()
    delete = reverse("admin:districts_districtset_delete", args=[wards.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert DistrictSet.objects.filter(pk=wards.pk).exists()
