"""Many duties at once (`outbox_put_many`): each key once, only the new ones dispatched after
commit, in the same number of queries however many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from edc import outbox
from edc.outbox import Duty, OutboxMessage, outbox_put, outbox_put_many

pytestmark = pytest.mark.django_db

sent: list[str] = []


@pytest.fixture(autouse=True)
def test_kind():
    outbox.register_outbox_handler("test_many", lambda message: sent.append(message.key))
    sent.clear()
    yield
    outbox._HANDLERS.pop("test_many")


def _duties(*keys: str) -> list[Duty]:
    return [Duty(key=k, payload={"k": k}) for k in keys]


def test_only_new_keys_are_recorded_and_delivered(django_capture_on_commit_callbacks):
    outbox_put(kind="test_many", key="a", payload={})
    with django_capture_on_commit_callbacks(execute=True):
        new = outbox_put_many(kind="test_many", duties=_duties("a", "b", "c"))
    assert new == 2
    assert sorted(sent) == ["b", "c"]
    assert OutboxMessage.objects.filter(key__in=["a", "b", "c"]).count() == 3


def test_the_same_duties_again_record_and_deliver_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox_put_many(kind="test_many", duties=_duties("a", "b"))
        assert outbox_put_many(kind="test_many", duties=_duties("a", "b")) == 0
    assert sorted(sent) == ["a", "b"]


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="no outbox handler"):
        outbox_put_many(kind="nobody", duties=_duties("x"))


def test_many_duties_cost_the_queries_of_few():
    counts = []
    for keys in (["a", "b"], [f"k{n}" for n in range(30)]):
        with CaptureQueriesContext(connection) as queries:
            outbox_put_many(kind="test_many", duties=_duties(*keys))
        counts.append(len(queries))
    assert counts[0] == counts[1]
