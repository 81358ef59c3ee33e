from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "groundswell.core"
    label = "core"

    def ready(self) -> None:
        from groundswell.core import clock, ratelimit, tasks

        clock.register("core.prune_task_results", lambda: 24 * 3600.0, tasks.prune_finished)
        # Counters of ended windows (in the database: without Redis, or while it was down).
        clock.register("core.prune_rate_counters", lambda: 600.0, ratelimit.prune_expired)
