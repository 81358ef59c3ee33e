import datetime
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from groundswell.core.tasks import prune_finished
from groundswell.petitions import actions
from groundswell.petitions.models import Petition

pytestmark = pytest.mark.django_db


def test_finished_tasks_older_than_a_week_are_pruned(petition: Petition, drain: Any) -> None:
    actions.post_update(petition, author=None, title="First", body="B")  # queues a task
    drain()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    assert prune_finished() == 0
    DBTaskResult.objects.update(finished_at=timezone.now() - datetime.timedelta(days=8))
    actions.post_update(petition, author=None, title="T", body="B")  # a waiting task
    assert prune_finished() == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1
