"""What tests of pages and files share: a page without its CSRF token (different on every
response), a page's own content without the layout around it, and a small image to upload."""

from __future__ import annotations

import io
import re

from PIL import Image

CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": "|csrftoken=)[^";]+')


def without_csrf(text: str) -> str:
    return CSRF.sub(r"\1…", text)


def main_of(html: str) -> str:
    """The page's <main>: what the page says, without the header's menus and language
    switcher that every page has."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def png() -> bytes:
    image = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(image, "PNG")
    return image.getvalue()
