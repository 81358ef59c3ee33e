"""A petition's image is stored without its metadata (a phone photo's GPS position was
once served from /media/)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from groundswell.accounts.models import User
from groundswell.petitions.models import Petition
from tests.conftest import login
from tests.core.test_uploads import photo_with_gps
from tests.petitions.test_manage_create import create_url, petition_data

pytestmark = pytest.mark.django_db


def test_the_stored_image_has_no_gps_position(client: Client, organizer: User) -> None:
    login(client, organizer)
    image = SimpleUploadedFile("beach.jpg", photo_with_gps(), "image/jpeg")
    response = client.post(create_url(), petition_data(image=image, image_alt="The library"))
    assert response.status_code == 303, response.content.decode()[:2000]
    petition = Petition.objects.get()
    with petition.image.open() as stored:
        assert not Image.open(stored).getexif()
