"""The Makefile, the demo data command and CI do what the README says."""

import io
import re
import subprocess
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from lmsite.tests.test_settings import BASE_DIR
from races.management.commands import load_demo


def test_make_setup_loads_the_demo_data_unconditionally():
    dry_run = subprocess.run(
        ["make", "-n", "setup"], cwd=BASE_DIR, capture_output=True, text=True, check=True
    )
    commands = dry_run.stdout.splitlines()
    assert ".venv/bin/python manage.py load_demo" in commands
    assert not any("help load_demo" in command for command in commands)


@pytest.mark.django_db  # the loaders run in one block of the write path: a transaction
def test_load_demo_calls_the_2011_loader_directly(monkeypatch):
    calls = []

    def lemans(**kwargs):
        calls.append("lemans")
        return SimpleNamespace(years=[])  # nothing loaded

    monkeypatch.setattr(load_demo.lemans, "load", lemans)
    fake = SimpleNamespace(load=lambda stdout: calls.append("lms2011") and False)
    monkeypatch.setattr(load_demo, "lms2011", fake)  # no such name behind a find_spec guard
    call_command("load_demo", stdout=io.StringIO())
    assert calls == ["lemans", "lms2011"]


CI = (BASE_DIR / ".ci" / "run").read_text()


def test_the_ci_sqlite_leg_ignores_a_database_url_from_the_environment():
    sqlite_leg = CI.split('step "Test suite on SQLite"')[1].split("step ")[0]
    assert re.search(r"^env -u DATABASE_URL make test\b", sqlite_leg, re.M)


def test_the_ci_postgresql_leg_uses_a_database_of_its_own_run():
    assert re.search(r"^export DATABASE_URL=postgres://\S+/lmsite_ci_\$\$$", CI, re.M)
    assert "grep -q '^database: postgresql'" in CI


README = (BASE_DIR / "README.md").read_text()


def test_the_readme_lists_every_variable_the_settings_read():
    settings_source = (BASE_DIR / "lmsite" / "settings.py").read_text()
    variables = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_source))
    assert {"DJANGO_CONN_MAX_AGE", "DJANGO_BEHIND_PROXY", "DATABASE_URL"} <= variables
    table = {row.split("`")[1] for row in README.splitlines() if row.startswith("| `")}
    assert variables - table == set()


def test_the_redis_cache_the_readme_suggests_has_its_client_installed():
    import environ
    from django.utils.module_loading import import_string

    url = re.search(r"`(rediscache://[^`]+)`", README).group(1)
    config = environ.Env.cache_url_config(url)
    cache = import_string(config["BACKEND"])(config["LOCATION"], {})
    assert cache._cache._lib.__name__ == "redis"  # building the client imports redis-py
    requirements = (BASE_DIR / "requirements.txt").read_text().splitlines()
    assert any(re.fullmatch(r"redis~=[\d.]+", line) for line in requirements)
