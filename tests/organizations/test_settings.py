"""/manage/<org>/settings/: owners and admins edit the public profile; bad logos are refused."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from tests.conftest import login

URL = reverse("organizations_manage:settings", args=["action-now"])


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image(fmt: str = "PNG", size: tuple[int, int] = (40, 20), noise: bool = False) -> bytes:
    picture = Image.new("RGB", size, "#a4161a")
    if noise:
        picture = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    picture.save(buffer, fmt)
    return buffer.getvalue()


def profile(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Action Now Chicago",
        "description": "Neighbors organizing for safe, affordable communities.",
        "website": "https://actionnow.example/",
        "email": "hello@actionnow.example",
    }
    data.update(changes)
    return data


def test_an_owner_saves_the_profile_with_a_logo(
    client: Client, owner: User, action_now: Organization, media: Path
) -> None:
    login(client, owner)
    logo = SimpleUploadedFile("logo.png", image(), content_type="image/png")
    response = client.post(URL, profile(logo=logo))
    assert response.status_code == 302
    action_now.refresh_from_db()
    assert action_now.name == "Action Now Chicago"
    assert action_now.email == "hello@actionnow.example"
    assert action_now.logo.name.startswith("logos/")
    assert (media / action_now.logo.name).exists()
    assert action_now.slug == "action-now"


def test_replacing_the_logo_deletes_the_old_file(
    client: Client,
    owner: User,
    action_now: Organization,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    login(client, owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, profile(logo=SimpleUploadedFile("a.png", image(), "image/png")))
    action_now.refresh_from_db()
    first = media / action_now.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, profile(logo=SimpleUploadedFile("b.jpg", image("JPEG"), "image/jpeg")))
    action_now.refresh_from_db()
    assert (media / action_now.logo.name).exists()
    assert not first.exists()


def test_an_admin_may_edit_settings(client: Client, admin: User, action_now: Organization) -> None:
    login(client, admin)
    assert client.get(URL).status_code == 200
    assert client.post(URL, profile()).status_code == 302


def test_it_rejects_a_logo_that_is_not_an_image(
    client: Client, owner: User, action_now: Organization
) -> None:
    login(client, owner)
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)></svg>", "image/png")
    response = client.post(URL, profile(logo=fake))
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert 'aria-describedby="id_logo_helptext id_logo_error"' in response.content.decode()
    action_now.refresh_from_db()
    assert action_now.name == "Action Now"  # nothing saved, not even the valid fields
    assert not action_now.logo


def test_it_rejects_an_image_format_browsers_do_not_show(
    client: Client, owner: User, action_now: Organization
) -> None:
    login(client, owner)
    bmp = SimpleUploadedFile("logo.bmp", image("BMP"), "image/bmp")
    response = client.post(URL, profile(logo=bmp))
    assert "Upload a JPEG, PNG, GIF or WebP image." in response.content.decode()
    action_now.refresh_from_db()
    assert action_now.name == "Action Now"
    assert not action_now.logo


def test_it_rejects_a_logo_over_the_size_limit(
    client: Client, owner: User, action_now: Organization, settings: Any
) -> None:
    settings.MAX_UPLOAD_BYTES = 2048
    login(client, owner)
    big = SimpleUploadedFile("logo.png", image(size=(100, 100), noise=True), "image/png")
    response = client.post(URL, profile(logo=big))
    assert "the largest allowed is 2.0\xa0KB" in response.content.decode()
    action_now.refresh_from_db()
    assert not action_now.logo


def test_it_rejects_a_bad_website_and_keeps_the_profile(
    client: Client, owner: User, action_now: Organization
) -> None:
    login(client, owner)
    response = client.post(URL, profile(website="not a url", name="   "))
    page = response.content.decode()
    assert "Enter a valid URL." in page
    assert "This field is required." in page
    action_now.refresh_from_db()
    assert (action_now.name, action_now.website) == ("Action Now", "https://actionnow.example")
    # The heading still shows the saved name, not the rejected one.
    assert "<h1>Action Now: settings</h1>" in page


def test_a_website_without_a_scheme_is_taken_as_https(
    client: Client, owner: User, action_now: Organization
) -> None:
    login(client, owner)
    client.post(URL, profile(website="actionnow.example/about"))
    action_now.refresh_from_db()
    assert action_now.website == "https://actionnow.example/about"
