"""Security headers on every answer (a bad host's 400 included), robots.txt, security.txt and
where the admin login goes after an unsafe `next`."""

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def assert_security_headers(response):
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


@pytest.mark.parametrize("url", ["/", "/drivers/", "/de/", "/admin/login/", "/no-such-page/"])
def test_every_answer_carries_the_security_headers(client, url):
    assert_security_headers(client.get(url))


def test_a_bad_host_is_answered_400_with_the_security_headers(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_security_headers(response)


def test_with_the_https_redirect_a_bad_host_still_gets_the_security_headers(settings, client):
    settings.SECURE_SSL_REDIRECT = True  # its redirect asked for the host first, and failed
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_security_headers(response)
    assert client.get("/", HTTP_HOST="localhost").status_code == 301


def test_robots_txt_points_to_the_sitemap_and_keeps_robots_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_security_txt_names_a_contact_and_expires_within_a_year(client, settings):
    settings.SECURITY_CONTACT = "mailto:security@lmsite.example"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.text.splitlines() if ": " in line)
    assert fields["Contact"] == "mailto:security@lmsite.example"
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    expires = dt.datetime.fromisoformat(fields["Expires"])
    now = dt.datetime.now(dt.UTC)
    assert now < expires < now + dt.timedelta(days=366)


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/admin/", "javascript:alert(1)"]
)
def test_an_unsafe_next_after_the_admin_login_lands_on_the_admin_index(
    client, django_user_model, next_url
):
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    response = client.post(
        "/admin/login/", {"username": "boss", "password": "pw", "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
