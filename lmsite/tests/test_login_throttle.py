"""Admin login throttling: the client's address behind trusted proxies, and a limit per address
across usernames."""

import pytest
from django.test import RequestFactory

from lmsite.login_throttle import client_ip

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.1"  # the reverse proxy in front of the site
EDITOR = "198.51.100.7"
STRANGER = "203.0.113.66"


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/admin/login/", **extra)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "client"),
    [
        ("", STRANGER, EDITOR, STRANGER),  # no proxy: a forwarded header is the client's own
        ("1", PROXY, f"{EDITOR}, {STRANGER}", STRANGER),  # the proxy appended the stranger
        ("1", PROXY, STRANGER, STRANGER),
        ("1", STRANGER, None, STRANGER),  # not through the proxy
        ("2", PROXY, f"{EDITOR}, {STRANGER}, 10.0.0.2", STRANGER),
        ("10.0.0.0/8", PROXY, f"{EDITOR}, {STRANGER}, 10.0.0.2", STRANGER),
        ("10.0.0.1, 10.0.0.2", PROXY, f"{STRANGER}, 10.0.0.2", STRANGER),
        ("10.0.0.0/8", STRANGER, EDITOR, STRANGER),  # from an untrusted address: not read
        ("1", PROXY, "not-an-address", PROXY),
        ("1", PROXY, "::1, 2001:db8::5", "2001:db8::"),  # an IPv6 client is its /64
        ("1", PROXY, "2001:db8:0:0:ffff::5", "2001:db8::"),
        ("1", PROXY, "2001:db8:0:1::5", "2001:db8:0:1::"),
        ("1", "::ffff:10.0.0.1", "::ffff:203.0.113.66", STRANGER),  # IPv4 written as IPv6
        ("1", PROXY, f"{STRANGER}:5555", STRANGER),  # a port after the address
        ("1", PROXY, "[2001:db8::5]:5555", "2001:db8::"),
        ("1", PROXY, '"[2001:db8::5]"', "2001:db8::"),
        ("10.0.0.0/8", PROXY, f"{STRANGER}:5555, 10.0.0.2:80", STRANGER),
    ],
)
def test_the_client_address_is_read_only_from_what_trusted_proxies_set(
    settings, trusted, remote, forwarded, client
):
    settings.TRUSTED_PROXIES = trusted
    assert client_ip(request_from(remote, forwarded)) == client


def test_an_ipv6_client_cannot_pass_the_address_limit_by_changing_address(settings, client):
    settings.TRUSTED_PROXIES = "1"
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    answers = [
        log_in(client, f"user{n}", "wrong", forwarded=f"2001:db8::{n:x}").status_code
        for n in range(limit + 5)
    ]
    assert set(answers[limit:]) == {429}


def log_in(client, username, password, forwarded):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password="right-pw", is_staff=True)


def test_a_stranger_behind_the_same_proxy_cannot_lock_an_editor_out(settings, client, editor):
    settings.TRUSTED_PROXIES = "1"
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        log_in(client, "editor", "wrong", forwarded=f"{EDITOR}, {STRANGER}")  # forged start
    assert log_in(client, "editor", "wrong", STRANGER).status_code == 429
    response = log_in(client, "editor", "right-pw", forwarded=EDITOR)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_one_address_trying_many_usernames_is_stopped(settings, client, editor):
    settings.TRUSTED_PROXIES = "1"
    answers = [
        log_in(client, f"user{n}", "wrong", forwarded=STRANGER).status_code for n in range(40)
    ]
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert limit < 40
    assert answers[: limit - 1] == [200] * (limit - 1)
    assert set(answers[limit:]) == {429}
    assert log_in(client, "editor", "right-pw", forwarded=STRANGER).status_code == 429
    assert log_in(client, "editor", "right-pw", forwarded=EDITOR).status_code == 302
