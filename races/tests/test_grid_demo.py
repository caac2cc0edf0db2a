"""The results grid over the demo data: every session with results, complete (Le Mans
2010–2012) or partial (the 2011 rounds, some with only class positions), is drawn and saved
back unchanged without a write."""

import io

import pytest

from races.demo import lemans, lms2011
from races.models import Result, Session
from races.tests.test_demo_lemans import wipe
from races.tests.test_grid_admin import grid_url, posted

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        lemans.load(years=lemans.SUBSET_YEARS, stdout=io.StringIO())
        lms2011.load(io.StringIO())
        yield
        wipe()


def test_every_demo_session_is_saved_back_unchanged_without_a_write(admin_client):
    sessions = list(Session.objects.filter(results__isnull=False).distinct())
    assert {s.results_status for s in sessions} == {"final", "partial"}
    stored = sorted(Result.objects.values_list("pk", "finish_order", "position", "class_position"))
    history = Result.history.count()
    for session in sessions:
        data = posted(admin_client.get(grid_url(session)))
        response = admin_client.post(grid_url(session), data, follow=True)
        assert "Nothing changed." in response.content.decode(), session.pk
    assert Result.history.count() == history
    assert (
        sorted(Result.objects.values_list("pk", "finish_order", "position", "class_position"))
        == stored
    )
