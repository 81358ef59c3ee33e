"""The money behind a whip board's columns, on the board itself (legislation.registry):
under each stance's heading what its members' committees received, and below the
members the yes column (yes and leaning yes) beside the no column (no and leaning no),
linking each side's top donors."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from groundswell.legislation.models import StanceValue, WhipBoard
from groundswell.legislation.registry import BoardSection, ColumnNote
from groundswell.research import money
from groundswell.research.models import Committee


def dollars(amount: Decimal) -> str:
    return "$" + number_format(amount, 2, use_l10n=True, force_grouping=True)


class BoardMoney:
    name = "research"
    order = 10

    def board_section(self, board: WhipBoard) -> BoardSection | None:
        members = board.stances.values("decision_maker")
        if not board.is_public or not Committee.objects.filter(decision_maker__in=members).exists():
            return None  # nobody on the board has a tracked committee: no money to show
        yes, no = money.behind_board(board)
        by_stance = money.by_stance(board)
        notes = [
            ColumnNote(
                stance,
                _("Their campaign committees received %(total)s.") % {"total": dollars(total)},
            )
            for stance, total in by_stance.items()
            if stance != StanceValue.UNDECIDED
        ]
        html = render_to_string(
            "research/_board_section.html",
            {
                "board": board,
                "sides": [(side, dollars(side.total)) for side in (yes, no)],
            },
        )
        return BoardSection(
            key="money", heading=_("The money behind the votes"), html=html, columns=notes
        )
