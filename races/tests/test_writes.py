"""The one write path (races/writes.py): every write to racing data refreshes the stored
standings of the seasons it touches, once per block, and advances the data version, in one
transaction (docs/decisions/0009-one-write-path.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from races import writes
from races.models import DataVersion

pytestmark = pytest.mark.django_db


def test_the_current_version_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1) as context:
        version = writes.current_version()
    assert "SAVEPOINT" not in context.captured_queries[0]["sql"]
    assert version.number == DataVersion.objects.get().number


def test_a_block_that_touches_nothing_leaves_the_version():
    before = writes.current_version()
    with CaptureQueriesContext(connection) as context, writes.changes():
        pass
    assert [q["sql"] for q in context.captured_queries if "SAVEPOINT" not in q["sql"]] == []
    assert writes.current_version() == before


def test_a_recorded_change_advances_the_version():
    before = writes.current_version()
    writes.record_change()
    after = writes.current_version()
    assert after.number == before.number + 1
    assert after.changed_at >= before.changed_at


def test_touch_outside_a_block_is_an_error():
    with pytest.raises(RuntimeError):
        writes.touch()
