"""A turf's printable walk sheet (PDF, fpdf2): the paper backup for a phone that dies.

Doors in walking order, each with its short code; the result codes and the script's
questions with numbered choices, so that what was written on paper is keyed in later
on the canvass page ("Key in a walk sheet"), door code by door code. DejaVu Sans from
Debian's fonts-dejavu-core when present, else the PDF's Helvetica (Latin-1 covers
Spanish); no font is fetched. Doors on the do-not-knock list are left out.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF

from groundswell.canvass.models import DoNotKnock, Door, Question, Resident, Result, Turf
from groundswell.people.models import Supporter

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
COLUMNS = (12, 18, 62, 44, 16, 0)  # #, code, address, people, result, answers (the rest)


class SheetPDF(FPDF):
    def __init__(self) -> None:
        super().__init__(format="Letter")
        self.unicode = all((FONT_DIR / name).exists() for name in FONTS.values())
        if self.unicode:
            for style, name in FONTS.items():
                self.add_font("DejaVu", style, str(FONT_DIR / name))
        self.family = "DejaVu" if self.unicode else "Helvetica"
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(auto=True, margin=12)

    def text_of(self, text: str) -> str:
        if self.unicode:
            return text
        decomposed = unicodedata.normalize("NFKD", text)
        return "".join(c for c in decomposed if ord(c) < 256 and not unicodedata.combining(c))


def walk_sheet(turf: Turf) -> bytes:
    canvass = turf.canvass
    blocked = set(
        DoNotKnock.objects.filter(organization=canvass.organization_id).values_list(
            "building", "unit"
        )
    )
    doors = [
        d
        for d in Door.objects.filter(turf=turf).order_by("walk_order", "pk")
        if (d.building, d.unit) not in blocked and (d.building, "") not in blocked
    ]
    names: dict[int, list[str]] = {}
    known = {
        s.person_id: s.full_name
        for s in Supporter.objects.filter(organization=canvass.organization_id).filter(
            person__in=Resident.objects.filter(door__turf=turf).values("person")
        )
    }
    for door_id, person_id in Resident.objects.filter(door__turf=turf).values_list(
        "door", "person"
    ):
        if known.get(person_id):
            names.setdefault(door_id, []).append(known[person_id])
    pdf = SheetPDF()
    t = pdf.text_of
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 14)
    pdf.multi_cell(0, 7, t(f"{canvass.name} · {turf.name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 9)
    pdf.multi_cell(
        0,
        5,
        t(_("Canvasser: ____________________   Date: ___________")),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    codes = "   ".join(f"{i}. {label}" for i, (_v, label) in enumerate(Result.choices, start=1))
    pdf.multi_cell(
        0, 5, t(_("Results: %(codes)s") % {"codes": codes}), new_x="LMARGIN", new_y="NEXT"
    )
    for n, question in enumerate(Question.objects.filter(canvass=canvass), start=1):
        if question.kind == Question.Kind.SCALE:
            choices = "1–5"
        elif question.choices:
            choices = " / ".join(
                f"{chr(96 + i)}) {c}" for i, c in enumerate(question.choices, start=1)
            )
        else:
            choices = _("(write the answer)")
        pdf.multi_cell(0, 5, t(f"Q{n}. {question.text} {choices}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    heads = ["#", _("Code"), _("Address"), _("People"), _("Result"), _("Answers (Q1, Q2, …)")]
    widths = [*COLUMNS[:-1], pdf.epw - sum(COLUMNS[:-1])]
    pdf.set_font(pdf.family, "B", 9)
    for head, width in zip(heads, widths, strict=True):
        pdf.cell(width, 7, t(head), border=1)
    pdf.ln()
    pdf.set_font(pdf.family, "", 9)
    for number, door in enumerate(doors, start=1):
        address = f"{door.address} #{door.unit}" if door.unit else door.address
        people = ", ".join(names.get(door.pk, []))[:30]
        for text, width in zip(
            (str(number), door.code, address[:38], people, "", ""), widths, strict=True
        ):
            pdf.cell(width, 8, t(text), border=1)
        pdf.ln()
    return bytes(pdf.output())
