import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_HTTPS": "1",
    "DJANGO_SECRET_KEY": "a-production-secret-that-is-long-and-random-9f8e7d6c5b4a3928171605",
    "DJANGO_ALLOWED_HOSTS": "lmsite.example",
    "DJANGO_SECURITY_CONTACT": "mailto:security@lmsite.example.org",
}


def run_manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_https_hardening():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={**PRODUCTION, "DJANGO_HTTPS": "0"},
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # HSTS


@pytest.mark.django_db
def test_home_lists_series_and_seasons(client, make_season):
    make_season(year=2011, name="2011 Le Mans Series")
    response = client.get("/")
    assert response.status_code == 200
    assert "2011 Le Mans Series" in response.text
    assert "Content-Security-Policy" in response.headers


def test_check_deploy_warns_when_production_forgets_the_secret_key():
    without_key = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=without_key)
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def read_setting(name, env_extra):
    result = run_manage(
        "shell",
        "-c",
        f"from django.conf import settings; print(settings.{name})",
        env_extra=env_extra,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_https_hardening_alone_does_not_trust_a_forwarded_protocol_header():
    assert read_setting("SECURE_PROXY_SSL_HEADER", PRODUCTION) == "None"


def test_the_forwarded_protocol_header_is_trusted_only_behind_a_proxy():
    behind_proxy = {**PRODUCTION, "DJANGO_BEHIND_PROXY": "1"}
    header = read_setting("SECURE_PROXY_SSL_HEADER", behind_proxy)
    assert header == "('HTTP_X_FORWARDED_PROTO', 'https')"


CLIENT_IP = (
    "from django.test import RequestFactory; from lmsite.login_throttle import client_ip; "
    "print(client_ip(RequestFactory().get('/admin/login/', REMOTE_ADDR='10.0.0.1', "
    "HTTP_X_FORWARDED_FOR='198.51.100.7, 203.0.113.66')))"
)


def client_ip_with(env_extra):
    result = run_manage("shell", "-c", CLIENT_IP, env_extra=env_extra)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("env_extra", "client"),
    [
        ({}, "10.0.0.1"),  # no proxy: the connection's address
        ({"DJANGO_BEHIND_PROXY": "1"}, "203.0.113.66"),  # one proxy, which appended the client
        ({"DJANGO_BEHIND_PROXY": "1", "DJANGO_TRUSTED_PROXIES": ""}, "203.0.113.66"),
        ({"DJANGO_BEHIND_PROXY": "1", "DJANGO_TRUSTED_PROXIES": "2"}, "198.51.100.7"),
    ],
)
def test_behind_a_proxy_the_client_is_the_address_the_proxy_appended(env_extra, client):
    assert client_ip_with(env_extra) == client


@pytest.mark.parametrize(
    "env_extra",
    [
        {"DJANGO_BEHIND_PROXY": "1", "DJANGO_TRUSTED_PROXIES": "0"},  # every login the proxy's
        {"DJANGO_TRUSTED_PROXIES": "1"},  # no proxy: a client would write its own address
        {"DJANGO_BEHIND_PROXY": "1", "DJANGO_TRUSTED_PROXIES": "10.0.0.0/33"},
    ],
)
def test_check_deploy_fails_on_inconsistent_proxy_settings(env_extra):
    result = run_manage("check", "--deploy", env_extra={**PRODUCTION, **env_extra})
    assert result.returncode != 0
    assert "lmsite.E001" in result.stderr


def test_check_deploy_is_clean_behind_a_proxy():
    behind = {**PRODUCTION, "DJANGO_BEHIND_PROXY": "1", "DJANGO_TRUSTED_PROXIES": "10.0.0.1"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=behind)
    assert result.returncode == 0, result.stderr


def test_check_deploy_warns_when_security_txt_names_the_placeholder_contact():
    without_contact = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECURITY_CONTACT"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=without_contact)
    assert result.returncode != 0
    assert "lmsite.W002" in result.stderr


DATABASE_OPTIONS = (
    "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
)
POSTGRESQL = "postgres://lmsite@db.example:5432/lmsite"


def database_options(env_extra):
    result = run_manage("shell", "-c", DATABASE_OPTIONS, env_extra=env_extra)
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def test_a_postgresql_connection_bounds_a_server_that_stops_answering():
    options = database_options({"DATABASE_URL": POSTGRESQL})
    assert options == {
        "connect_timeout": 3,
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": 10_000,  # milliseconds, as libpq counts them
    }


def test_the_postgresql_connection_bounds_come_from_the_environment_or_the_url():
    options = database_options(
        {
            "DATABASE_URL": f"{POSTGRESQL}?keepalives_count=9",
            "DJANGO_DB_CONNECT_TIMEOUT": "7",
            "DJANGO_DB_KEEPALIVES_IDLE": "30",
            "DJANGO_DB_KEEPALIVES_INTERVAL": "4",
            "DJANGO_DB_KEEPALIVES_COUNT": "2",
            "DJANGO_DB_TCP_USER_TIMEOUT": "20",
        }
    )
    assert options["connect_timeout"] == 7
    assert options["keepalives_idle"] == 30
    assert options["keepalives_interval"] == 4
    assert options["keepalives_count"] == 9  # the URL's own
    assert options["tcp_user_timeout"] == 20_000


def test_a_sqlite_database_gets_no_postgresql_options():
    assert database_options({"DATABASE_URL": f"sqlite:///{BASE_DIR / 'db.sqlite3'}"}) == {}
