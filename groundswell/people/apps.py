from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "groundswell.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from groundswell.core import clock
        from groundswell.people import audit
        from groundswell.people.imports import actions as import_actions
        from groundswell.people.imports import cleanup as import_cleanup
        from groundswell.people.rights import tasks as rights_tasks  # noqa: F401

        # What an operator changes in the admin reaches the organization's audit log.
        post_save.connect(audit.record_admin_entry, sender=LogEntry, dispatch_uid="people.audit")

        # A worker killed mid-import: its import continues from the last batch.
        clock.register("people.resume_imports", lambda: 60.0, import_actions.resume_stalled)
        clock.register("people.prune_imports", lambda: 24 * 3600.0, import_cleanup.prune)

        from groundswell.core import outbox
        from groundswell.people import restrictions

        # "Do not contact" holds for every email of the platform, whoever sends it.
        outbox.register_screen("people.contact_restrictions", restrictions.blocked_emails)

        from groundswell.people import wards

        # Located by the worker (groundswell.districts.assignment), after they are stored.
        wards.register()

        from groundswell.core import navigation
        from groundswell.organizations import sections

        sections.register_link(sections.NavLink("people", _("People"), "people_manage:list", 10))
        navigation.register(
            navigation.Link(
                "my_data",
                _("See or erase what is held about you"),
                "people:my_data",
                10,
                place="footer",
            )
        )
