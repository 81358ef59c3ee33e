from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "groundswell.core"
    label = "core"

    def ready(self) -> None:
        from groundswell.core import clock, tasks

        clock.register("core.prune_task_results", lambda: 24 * 3600.0, tasks.prune_finished)
