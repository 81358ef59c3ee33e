"""The picture a shared link shows (og:image): 1200 x 630 PNG drawn with Pillow from the
petition's image or its title, its count and its sponsors' names.

Drawn once per step of the count (10, 25, 50, 100, … then the goals' steps) and kept in
the media storage, so a crowd of link previews costs a file read, and a new signature
redraws nothing until the count passes the next step. Editing the petition (its title,
image or sponsors) makes a new one; older pictures of the petition are removed."""

from __future__ import annotations

import functools
import hashlib
import io
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageDraw, ImageFont, ImageOps

from groundswell.petitions import goals
from groundswell.petitions.models import Petition, PetitionCount

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
VERSION = 1  # bump when the drawing changes, so every picture is drawn anew
SMALL_STEPS = (10, 25, 50, 100, 250, 500)
PAPER = (244, 241, 236)
INK = (29, 29, 31)
ACCENT = (164, 22, 26)
MUTED = (85, 85, 85)
MARGIN = 56


def count_step(count: int) -> int:
    """The last step the count has passed: the picture shows the count as of that step."""
    passed = [step for step in SMALL_STEPS if step <= count]
    passed += goals.milestones_reached(count)
    return max(passed, default=0)


def _key(petition: Petition, sponsors: list[str], step: int, language: str) -> str:
    parts = [
        str(VERSION),
        petition.display_title,
        petition.image.name if petition.image else "",
        petition.status,
        "|".join(sponsors),
        str(step),
        language,
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


def share_image(petition: Petition) -> bytes:
    """The petition's picture (PNG bytes), drawn if this step of the count has none yet."""
    count = getattr(petition, "count", None) or PetitionCount(petition=petition)
    sponsors = [o.name for o in petition.organizations]
    language = translation.get_language() or "en"
    folder = f"share/{petition.pk}"
    key = _key(petition, sponsors, count_step(count.shown), language)
    name = f"{folder}/{language}-{key}.png"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as kept:
            return bytes(kept.read())
    png = draw(petition, count.shown, sponsors)
    # Two readers may draw the same picture at once: the second keeps its own copy
    # under another name, and the older ones are removed below.
    saved = default_storage.save(name, ContentFile(png))
    _forget_older(folder, keep={name, saved}, language=language)
    return png


def _forget_older(folder: str, *, keep: set[str], language: str) -> None:
    """Remove this language's older pictures of the petition (other languages' stay)."""
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for file in files:
        path = f"{folder}/{file}"
        if path not in keep and file.startswith(f"{language}-") and file.endswith(".png"):
            try:
                default_storage.delete(path)
            except OSError:
                logger.info("could not remove the old share picture %s", path)


# The system's fonts (never downloaded), widest coverage first: DejaVu and Noto carry
# every accented Latin letter (Pillow's built-in font lacks "í"), Greek and Cyrillic.
SYSTEM_FONTS = ("DejaVuSans.ttf", "NotoSans-Regular.ttf", "LiberationSans-Regular.ttf")


@functools.lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in SYSTEM_FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    logger.warning("No system font found (%s); share pictures use Pillow's own", SYSTEM_FONTS)
    return ImageFont.load_default(size=size)


def _wrap(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    width: int,
    max_lines: int,
) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and draw.textlength(f"{last}…", font=font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = f"{last}…"
    return lines


def _sponsor_line(sponsors: list[str]) -> str:
    if not sponsors:
        return ""
    if len(sponsors) == 1:
        return _("Sponsored by %(name)s") % {"name": sponsors[0]}
    more = len(sponsors) - 1
    return ngettext(
        "Sponsored by %(name)s and %(n)s other organization",
        "Sponsored by %(name)s and %(n)s other organizations",
        more,
    ) % {"name": sponsors[0], "n": number_format(more, force_grouping=True)}


def draw(petition: Petition, count: int, sponsors: list[str]) -> bytes:
    """Draw the picture: the petition's image on the left when it has one, then the
    title, the count with a progress bar towards the goal, and the sponsors."""
    picture = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(picture)
    left = MARGIN
    if petition.image:
        try:
            with petition.image.open("rb") as file, Image.open(file) as source:
                photo = ImageOps.fit(source.convert("RGB"), (460, HEIGHT))
            picture.paste(photo, (0, 0))
            left = 460 + MARGIN
        except (OSError, ValueError):
            logger.info(
                "petition %s: its image could not be read for the share picture", petition.pk
            )
    pen.rectangle((left - MARGIN, 0, WIDTH, 14), fill=ACCENT)
    width = WIDTH - left - MARGIN

    title_font = _font(60 if left == MARGIN else 50)
    y = 60
    for line in _wrap(pen, petition.display_title, title_font, width, 4):
        pen.text((left, y), line, font=title_font, fill=INK)
        y += int(title_font.size * 1.2) if isinstance(title_font, ImageFont.FreeTypeFont) else 40

    count_font = _font(44)
    y = max(y + 24, 360)
    signed = ngettext("%(n)s has signed", "%(n)s have signed", count) % {
        "n": number_format(count, force_grouping=True)
    }
    pen.text((left, y), signed, font=count_font, fill=ACCENT)
    y += 64
    goal = goals.goal_for(count)
    pen.rounded_rectangle((left, y, left + width, y + 22), radius=11, fill=(214, 210, 203))
    done = max(22, int(width * min(count, goal) / goal)) if count else 0
    if done:
        pen.rounded_rectangle((left, y, left + done, y + 22), radius=11, fill=ACCENT)
    y += 44

    small = _font(28)
    for line in _wrap(pen, _sponsor_line(sponsors), small, width, 2):
        pen.text((left, y), line, font=small, fill=MUTED)
        y += 36

    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()
