"""The findings of the "Data health" page, computed once per data version
(races/health.py `current_findings`): a second request runs no rule, a write or an edit to the
alias file draws them anew, an explanation shows at once, each language has its own entry, and a
cache that fails is computed around."""

import logging

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from races import health
from races.models import FindingExplanation
from races.writes import current_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

URL = "/admin/races/findingexplanation/health/"
LONELY = "Lonely Racing has no entry."


@pytest.fixture
def rule_runs(monkeypatch):
    """The runs of all the rules, counted."""
    runs = []
    compute = health.all_findings

    def counted():
        runs.append(1)
        return compute()

    monkeypatch.setattr(health, "all_findings", counted)
    return runs


@pytest.fixture
def lonely(make_team):
    """A team without an entry: one finding."""
    return make_team("Lonely Racing")


def page(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.text


def test_a_second_request_with_the_data_unchanged_runs_no_rule(admin_client, lonely, rule_runs):
    with CaptureQueriesContext(connection) as first:
        assert LONELY in page(admin_client)
    with CaptureQueriesContext(connection) as second:
        assert LONELY in page(admin_client)
    assert len(rule_runs) == 1
    # The second costs the version and the page's own queries; not the rules' 20.
    assert (len(first), len(second)) == (26, 6)


def test_a_write_draws_the_findings_anew(admin_client, lonely, make_entry, rule_runs):
    assert LONELY in page(admin_client)
    lonely.name = "Quiet Racing"
    lonely.save()
    renamed = page(admin_client)
    assert "Quiet Racing has no entry." in renamed
    assert LONELY not in renamed
    make_entry(team=lonely)
    assert "Quiet Racing has no entry." not in page(admin_client)
    assert len(rule_runs) == 3


def test_an_explanation_does_not_advance_the_data_version(lonely):
    before = current_version()
    FindingExplanation.objects.create(rule="team-without-entry", key="lonely-racing", reason="r")
    assert current_version() == before


def test_an_explanation_shows_at_once_and_its_removal_too(admin_client, lonely, rule_runs):
    assert "1 finding is open." in page(admin_client)
    explanation = FindingExplanation.objects.create(
        rule="team-without-entry", key="lonely-racing", reason="Kept for its history."
    )
    explained = page(admin_client, "?explained=1")
    assert "0 findings are open." in explained
    assert "Kept for its history." in explained
    explanation.delete()
    assert "1 finding is open." in page(admin_client)
    assert len(rule_runs) == 1


def test_a_finding_explained_on_the_page_is_closed_without_running_the_rules_again(
    admin_client, lonely, rule_runs
):
    assert "1 finding is open." in page(admin_client)
    response = admin_client.post(
        URL, {"rule": "team-without-entry", "key": "lonely-racing", "reason": "Kept."}
    )
    assert response.status_code == 302
    assert "0 findings are open." in page(admin_client)
    assert len(rule_runs) == 1


def test_each_language_has_its_own_findings(admin_client, lonely, settings, rule_runs):
    assert LONELY in page(admin_client)
    settings.LANGUAGE_CODE = "de"
    assert "Lonely Racing hat keine Meldung." in page(admin_client)
    assert "Lonely Racing hat keine Meldung." in page(admin_client)
    assert len(rule_runs) == 2


def test_an_edit_to_the_files_the_rules_read_draws_the_findings_anew(
    admin_client, lonely, rule_runs, monkeypatch, tmp_path
):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("kind,rule,name\n")
    monkeypatch.setattr(health, "RULE_INPUTS", (aliases,))
    page(admin_client)
    page(admin_client)
    aliases.write_text("kind,rule,name\ndriver,apart,Someone\n")
    page(admin_client)
    assert len(rule_runs) == 2


def test_the_key_holds_the_version_its_time_and_the_language():
    version = current_version()
    key = health.findings_key(version, "en")
    assert key.startswith(f"health:{version.number}:{version.changed_at.timestamp()}:en:")
    assert health.findings_key(version, "de") != key


class FailingCache(LocMemCache):
    """A local-memory cache whose reads or writes raise, as a stopped Redis does."""

    get_fails = set_fails = False
    sets = 0

    def get(self, *args, **kwargs):
        if type(self).get_fails:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        return super().get(*args, **kwargs)

    def set(self, *args, **kwargs):
        type(self).sets += 1
        if type(self).set_fails:
            raise TimeoutError("Timeout reading from 127.0.0.1:6379")
        return super().set(*args, **kwargs)


@pytest.fixture
def failing_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": f"{__name__}.FailingCache", "LOCATION": "health-failing"},
    }
    FailingCache.get_fails = FailingCache.set_fails = False
    FailingCache.sets = 0
    yield FailingCache
    FailingCache.get_fails = FailingCache.set_fails = False


def test_a_cache_that_cannot_be_read_is_computed_around(
    admin_client, lonely, rule_runs, failing_cache, caplog
):
    failing_cache.get_fails = True
    with caplog.at_level(logging.WARNING, logger="races.health"):
        assert LONELY in page(admin_client)
        assert LONELY in page(admin_client)
    assert len(rule_runs) == 2
    assert failing_cache.sets == 0  # the read failed: no write is tried
    assert "cache unavailable (reading health:" in caplog.text


def test_a_cache_that_cannot_keep_still_shows_the_findings(
    admin_client, lonely, rule_runs, failing_cache
):
    failing_cache.set_fails = True
    assert LONELY in page(admin_client)
    assert LONELY in page(admin_client)
    assert len(rule_runs) == 2
    failing_cache.set_fails = False  # back: kept once more, then read
    page(admin_client)
    page(admin_client)
    assert len(rule_runs) == 3
