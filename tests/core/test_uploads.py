import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ImageField
from PIL import Image

from groundswell.core.uploads import name_by_content


def test_an_image_is_named_after_its_content_not_its_upload_name() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    upload = SimpleUploadedFile("report of Ana Reyes.pdf", buffer.getvalue())
    cleaned = ImageField().clean(upload)
    renamed = name_by_content(cleaned)
    assert renamed.name.endswith(".png")
    assert "Ana" not in renamed.name
