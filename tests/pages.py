"""What tests that compare pages and files share: a page without its CSRF token (different
on every response), and a small image to upload."""

from __future__ import annotations

import io
import re

from PIL import Image

CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": "|csrftoken=)[^";]+')


def without_csrf(text: str) -> str:
    return CSRF.sub(r"\1…", text)


def png() -> bytes:
    image = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(image, "PNG")
    return image.getvalue()
