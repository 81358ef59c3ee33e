"""Every write to the legislation app's records goes through these functions:

- records: bodies, offices, decision makers and terms (each change kept as a Revision);
- matters: a matter and its sponsors, by hand;
- whip: whip boards and stance changes, including those sponsorships and votes make;
- imports: people and matters from OCD/Popolo and eLMS files or URLs.
"""

from groundswell.legislation.actions.imports import Imported, import_people
from groundswell.legislation.actions.matter_imports import import_matters
from groundswell.legislation.actions.matters import (
    add_sponsor,
    record_action,
    remove_sponsor,
    save_matter,
)
from groundswell.legislation.actions.records import (
    RecordRefused,
    link_wards,
    note_revision,
    save_body,
    save_decision_maker,
    save_office,
    save_term,
)
from groundswell.legislation.actions.whip import (
    BoardExists,
    apply_matter_events,
    create_board,
    record_stance,
    update_board,
)
from groundswell.legislation.importers.source import LegislationFileError

__all__ = [
    "BoardExists",
    "Imported",
    "LegislationFileError",
    "RecordRefused",
    "add_sponsor",
    "apply_matter_events",
    "create_board",
    "import_matters",
    "import_people",
    "link_wards",
    "note_revision",
    "record_action",
    "record_stance",
    "remove_sponsor",
    "save_body",
    "save_decision_maker",
    "save_matter",
    "save_office",
    "save_term",
    "update_board",
]
