"""A delivery packet drawn as a PDF with fpdf2.

The text is set in DejaVu Sans from Debian's fonts-dejavu-core (it covers Spanish and
far more) when the machine has it; otherwise in the PDF's built-in Helvetica, whose
Latin-1 covers Spanish accents too, with anything beyond it transliterated. No font is
ever fetched. The ward map is the dashboard's (districts.svg): the same projected
shapes and classed fills, drawn as PDF polygons.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from django.utils import formats
from django.utils.translation import gettext, ngettext
from fpdf import FPDF
from fpdf.fonts import FontFace

from groundswell.districts import svg
from groundswell.petitions.delivery.packets import Packet, Signer, signers_hash_definition

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
PROGRESS_EVERY = 250

# fontTools logs every glyph table it subsets at INFO; a packet is not news.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class PacketPDF(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="Letter")
        self.footer_text = footer_text
        self.unicode = all((FONT_DIR / name).exists() for name in FONTS.values())
        if self.unicode:
            for style, name in FONTS.items():
                self.add_font("DejaVu", style, str(FONT_DIR / name))
            self.family = "DejaVu"
        else:
            self.family = "Helvetica"
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)

    def text_of(self, text: str) -> str:
        """The text as the font can set it (Latin-1 without DejaVu)."""
        if self.unicode:
            return text
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(
            c if ord(c) < 256 else ("" if unicodedata.combining(c) else "?")
            for c in unicodedata.normalize("NFC", decomposed)
        )

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, self.text_of(f"{self.footer_text} · {self.page_no()}"), align="C")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: int = 14) -> None:
        self.ln(3)
        self.set_font(self.family, "B", size)
        self.multi_cell(0, size * 0.5, self.text_of(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)
        self.set_font(self.family, "", 10)

    def para(self, text: str, size: int = 10) -> None:
        self.set_font(self.family, "", size)
        self.multi_cell(0, 5, self.text_of(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)


def plain(markdown: str) -> str:
    """The petition's Markdown as plain text: links become "text (address)"."""
    return LINK.sub(r"\1 (\2)", markdown).strip()


def render(
    packet: Packet,
    signers: Iterator[Signer],
    *,
    signer_count: int,
    sha256: str,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """The packet's PDF. `progress(n)` is called as signers are written."""
    petition, target = packet.petition, packet.target
    pdf = PacketPDF(
        footer_text=gettext("Delivery packet: %(title)s") % {"title": petition.title[:80]}
    )
    pdf.set_title(petition.title)
    pdf.set_author(packet.organization.name)
    pdf.set_creator("Groundswell")
    pdf.add_page()

    pdf.set_font(pdf.family, "", 10)
    pdf.para(gettext("Delivery packet"), size=11)
    pdf.heading(petition.title, size=18)
    to = ", ".join(part for part in (target.name, target.title, target.office) if part)
    pdf.para(gettext("To: %(target)s") % {"target": to})
    pdf.para(
        gettext("From: %(organization)s, on %(date)s")
        % {
            "organization": packet.organization.name,
            "date": formats.date_format(packet.made_at, "DATE_FORMAT"),
        }
    )

    pdf.heading(gettext("Verified signatures"))
    total = ngettext(
        "%(count)s verified signature in all.",
        "%(count)s verified signatures in all.",
        packet.integrity.verified,
    ) % {"count": formats.number_format(packet.integrity.verified, force_grouping=True)}
    pdf.para(total, size=12)
    if packet.ward is not None:
        pdf.para(
            ngettext(
                "%(count)s verified signer lives in %(ward)s.",
                "%(count)s verified signers live in %(ward)s.",
                signer_count,
            )
            % {
                "count": formats.number_format(signer_count, force_grouping=True),
                "ward": packet.ward_label,
            },
            size=12,
        )

    pdf.heading(gettext("What the signers ask"))
    pdf.para(plain(petition.ask))
    if petition.why:
        pdf.heading(gettext("Why it matters"), size=12)
        pdf.para(plain(petition.why))

    _ward_map(pdf, packet)
    _integrity(pdf, packet, sha256)
    _signers(pdf, packet, signers, signer_count, progress)
    return bytes(pdf.output())


def _ward_map(pdf: PacketPDF, packet: Packet) -> None:
    from groundswell.petitions.delivery.wards import ward_map_set

    district_set = ward_map_set()
    if district_set is None:
        return
    outline = svg.outline(district_set)
    classes = svg.classify(packet.by_ward)
    pdf.add_page()
    pdf.heading(gettext("Verified signers by ward"))
    width = 110.0
    scale = width / outline.width
    left, top = pdf.l_margin, pdf.get_y() + 2
    pdf.set_draw_color(255, 255, 255)
    pdf.set_line_width(0.2)
    highlight = packet.ward.division_id if packet.ward is not None else None
    for area in outline.areas:
        rgb = _rgb(classes.fill(packet.by_ward.get(area.division_id, 0)))
        for polygon in area.polygons:
            for i, ring in enumerate(polygon):
                pdf.set_fill_color(*(rgb if i == 0 else (255, 255, 255)))
                points = [(left + x * scale, top + y * scale) for x, y in ring]
                pdf.polygon(points, style="DF")
    if highlight:
        pdf.set_draw_color(200, 30, 30)
        pdf.set_line_width(0.8)
        for area in outline.areas:
            if area.division_id == highlight:
                for polygon in area.polygons:
                    pdf.polygon(
                        [(left + x * scale, top + y * scale) for x, y in polygon[0]], style="D"
                    )
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    # The legend beside the map.
    x, y = left + width + 8, top
    pdf.set_xy(x, y)
    pdf.set_font(pdf.family, "B", 9)
    pdf.cell(0, 5, pdf.text_of(gettext("Verified signers")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 9)
    rows = [(svg.EMPTY_FILL, gettext("None"))] + [
        (fill, f"{low}–{high}" if low != high else str(low)) for low, high, fill in classes.ranges()
    ]
    for i, (color, text) in enumerate(rows):
        pdf.set_fill_color(*_rgb(color))
        pdf.rect(x, y + 7 + i * 6, 4, 4, style="DF")
        pdf.set_xy(x + 6, y + 6.5 + i * 6)
        pdf.cell(40, 5, pdf.text_of(text))
    if highlight:
        pdf.set_xy(x, y + 10 + len(rows) * 6)
        pdf.set_font(pdf.family, "", 8)
        pdf.multi_cell(
            50,
            4,
            pdf.text_of(gettext("Outlined in red: %(ward)s") % {"ward": packet.ward_label}),
        )
    pdf.set_y(top + outline.height * scale + 6)
    pdf.set_font(pdf.family, "", 9)
    with pdf.table(
        col_widths=(20, 55, 25),
        width=100,
        align="LEFT",
        headings_style=FontFace(emphasis="BOLD"),
        line_height=4.5,
    ) as table:
        header = table.row()
        for text in (gettext("Ward"), gettext("Alderperson"), gettext("Verified signers")):
            header.cell(pdf.text_of(text))
        for row in packet.ward_rows:
            cells = table.row()
            cells.cell(pdf.text_of(row.label))
            cells.cell(pdf.text_of(row.alderperson.name if row.alderperson else "—"))
            cells.cell(formats.number_format(row.verified, force_grouping=True))


def _integrity(pdf: PacketPDF, packet: Packet, sha256: str) -> None:
    facts = packet.integrity
    figures = facts.figures
    number = lambda n: formats.number_format(n, force_grouping=True)  # noqa: E731
    pdf.add_page()
    pdf.heading(gettext("Integrity statement"))
    pdf.para(
        gettext(
            "Verification: a signature counts once its signer opens the confirmation link "
            "emailed to the address they gave; the link is a signed token made for that "
            "signature alone. %(pending)s signatures still wait for confirmation and are "
            "not counted here."
        )
        % {"pending": number(facts.pending)}
    )
    pdf.para(
        gettext(
            "Duplicates: a petition holds one signature per email address, compared after "
            "normalizing it (letter case, +tags, and the dots Gmail ignores); signing again "
            "changes nothing."
        )
    )
    pdf.para(
        gettext(
            "Invalidations: %(invalidations)s bulk invalidations by the organizers are in "
            "force, taking out %(invalidated)s signatures; %(suspect)s signatures flagged as "
            "suspect (rate limits, bot traps) wait for review. None of them is counted or "
            "listed here."
        )
        % {
            "invalidations": number(facts.invalidations),
            "invalidated": number(facts.invalidated),
            "suspect": number(facts.suspect),
        }
    )
    pdf.para(
        gettext(
            "Wards: %(in_wards)s verified signers are placed in a ward from a point or an "
            "address found to its building or block. %(low)s were located by ZIP code, "
            "street or area only, which never places anyone in a ward; %(not_found)s could "
            "not be located; %(unlocated)s were not yet located when this packet was made."
        )
        % {
            "in_wards": number(figures.in_districts),
            "low": number(figures.low_precision),
            "not_found": number(figures.not_found),
            "unlocated": number(figures.unlocated),
        }
    )
    pdf.heading(gettext("Checking the signer list"), size=12)
    pdf.para(signers_hash_definition())
    pdf.set_font("Courier", "", 9)
    pdf.multi_cell(0, 5, f"SHA-256: {sha256}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 10)


def _signers(
    pdf: PacketPDF,
    packet: Packet,
    signers: Iterator[Signer],
    count: int,
    progress: Callable[[int], None] | None,
) -> None:
    pdf.add_page()
    if packet.ward is not None:
        pdf.heading(gettext("Verified signers in %(ward)s") % {"ward": packet.ward_label})
    else:
        pdf.heading(gettext("Verified signers"))
    pdf.para(
        gettext(
            "Name, ZIP code, the day they signed and their comment. An email address is "
            "shown only where the signer agreed to share it with %(organization)s."
        )
        % {"organization": packet.organization.name},
        size=9,
    )
    if not count:
        pdf.para(gettext("No verified signers to list."))
        return
    headings = (
        gettext("Name"),
        gettext("ZIP"),
        gettext("Signed on"),
        gettext("Comment"),
        gettext("Email"),
    )
    _row(pdf, headings, bold=True)
    written = 0
    for signer in signers:
        values = (
            signer.name,
            signer.zip_code,
            signer.signed_on.isoformat(),
            signer.comment[:600],
            signer.email,
        )
        if _row(pdf, values):
            _row(pdf, headings, bold=True)  # the headings again on each new page
        written += 1
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)
    if progress is not None:
        progress(written)


SIGNER_COLUMNS = (36.0, 12.0, 20.0, 54.0, 57.9)  # mm: the page's width between margins
LINE = 4.0


def _row(pdf: PacketPDF, values: tuple[str, ...], *, bold: bool = False) -> bool:
    """One row of the signer list, a text that does not fit its column wrapping in it
    (plain cells otherwise: a table of thousands of rows is drawn cell by cell, several
    times faster than fpdf2's table). Returns whether a new page was begun first."""
    pdf.set_font(pdf.family, "B" if bold else "", 8)
    texts = [pdf.text_of(v) for v in values]
    lines = [
        1 if pdf.get_string_width(text) <= width - 2 else _line_count(pdf, width, text)
        for text, width in zip(texts, SIGNER_COLUMNS, strict=True)
    ]
    height = LINE * max(lines) + 1
    new_page = pdf.will_page_break(height)
    if new_page:
        pdf.add_page()
        pdf.set_font(pdf.family, "B" if bold else "", 8)
    x, y = pdf.l_margin, pdf.get_y()
    for text, width, count in zip(texts, SIGNER_COLUMNS, lines, strict=True):
        pdf.set_xy(x, y)
        if count == 1:
            pdf.cell(width, LINE, text)
        else:
            pdf.multi_cell(width, LINE, text, align="L")
        x += width
    pdf.set_draw_color(200, 200, 200)
    pdf.line(pdf.l_margin, y + height - 0.5, pdf.l_margin + sum(SIGNER_COLUMNS), y + height - 0.5)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin, y + height)
    return new_page


def _line_count(pdf: PacketPDF, width: float, text: str) -> int:
    """How many lines the text takes wrapped in a column of this width."""
    lines = pdf.multi_cell(width, LINE, text, align="L", dry_run=True, output="LINES")
    return len(lines) if isinstance(lines, list) else 1


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)
