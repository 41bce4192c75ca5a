"""The SAE notification through a real Celery worker and Redis: sent once, whatever reruns."""

import time

import pytest

from adverse_events.models import SaeNotification, SafetyContact
from adverse_events.tasks import sae_notify_task
from edc.crfs import crf_spec
from edc.services.crfs import crf_create
from tests.adverse_events.journeys import at, infused_subject
from tests.adverse_events.test_adverse_events import AE
from tests.edc.factories import UserFactory


def _wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the worker")
        time.sleep(0.2)


@pytest.mark.postgres
@pytest.mark.redis
def test_sae_is_notified_once_even_when_the_task_runs_again(celery_worker_process):
    _queue, mail_dir = celery_worker_process
    actor = UserFactory()
    subject = infused_subject(actor)
    SafetyContact.objects.create(study=subject.study, name="Safety desk", email="safety@sp.cn")
    ae = crf_create(
        spec=crf_spec("adverse_event"),
        subject=subject,
        visit_code="D14",
        data={**AE, "serious_hospitalisation": True, "site_aware_at": at(10)},
        actor=actor,
    )
    _wait_for(lambda: SaeNotification.objects.filter(adverse_event=ae).exists())
    reruns = [sae_notify_task.delay(str(ae.pk)).get(timeout=30) for _ in range(2)]
    assert [r["sent"] for r in reruns] == [False, False]
    assert (SaeNotification.objects.count(), len(list(mail_dir.iterdir()))) == (1, 1)
