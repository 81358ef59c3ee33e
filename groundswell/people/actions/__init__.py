"""Every write about people: who a person is and the organizations that know them
(persons), consent (consent), the organization's own record (records), tags and lists
(lists). Callers use `from groundswell.people import actions` and `actions.<name>`."""

from groundswell.people.actions.consent import (
    grant_consent,
    grant_consents,
    holders_withdrawals,
    withdraw_consent,
    withdraw_email_consent,
)
from groundswell.people.actions.lists import (
    BATCH,
    add_to_list,
    create_list,
    delete_list,
    delete_tag,
    get_or_create_tag,
    person_ids,
    remove_from_list,
    rename_tag,
    set_tags,
    tag_people,
    untag_people,
)
from groundswell.people.actions.persons import (
    FILLABLE,
    SUPPORTER_FIELDS,
    add_supporters,
    find_person,
    link,
    link_supplied,
    record_activity,
    record_people,
    record_person,
)
from groundswell.people.actions.records import (
    ADDED_BY_HAND,
    EDITABLE,
    Added,
    add_person,
    changeable,
    update_supporter,
)
from groundswell.people.actions.suppression import Suppressed

__all__ = [
    "ADDED_BY_HAND",
    "BATCH",
    "EDITABLE",
    "FILLABLE",
    "SUPPORTER_FIELDS",
    "Added",
    "Suppressed",
    "add_person",
    "add_supporters",
    "add_to_list",
    "changeable",
    "create_list",
    "delete_list",
    "delete_tag",
    "find_person",
    "get_or_create_tag",
    "grant_consent",
    "grant_consents",
    "holders_withdrawals",
    "link",
    "link_supplied",
    "person_ids",
    "record_activity",
    "record_people",
    "record_person",
    "remove_from_list",
    "rename_tag",
    "set_tags",
    "tag_people",
    "untag_people",
    "update_supporter",
    "withdraw_consent",
    "withdraw_email_consent",
]
