"""Request bodies are bounded before anything reads them: Django's form-data limit does not
count files, so a multipart POST of any size was streamed to disk (CSRF reads the form)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db
MB = 2**20


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def test_an_anonymous_file_upload_beyond_the_limit_is_refused_unread(strict_client, monkeypatch):
    from django.http import multipartparser

    def never(*args, **kwargs):
        raise AssertionError("the body was read")

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", never)
    big = SimpleUploadedFile("big.bin", b"x" * (MB + 1))
    response = strict_client.post("/admin/login/", {"username": "a", "file": big})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/plain")
    assert len(response.content) < 100
    assert response["X-Frame-Options"] == "DENY"


def test_a_body_within_the_limit_reaches_the_csrf_check(strict_client):
    small = SimpleUploadedFile("small.bin", b"x" * 1000)
    assert strict_client.post("/admin/login/", {"file": small}).status_code == 403


@pytest.mark.parametrize("url", ["/admin/login/", "/", "/admin/races/session/1/import/"])
def test_a_chunked_body_without_a_length_is_refused(strict_client, url):
    response = strict_client.generic("POST", url, b"", HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 413


def test_the_import_upload_takes_its_own_larger_limit(strict_client):
    url = "/admin/races/session/1/import/"
    fits = SimpleUploadedFile("fits.csv", b"x" * (2 * MB - 10))
    assert strict_client.post(url, {"file": fits}).status_code == 403  # on to the CSRF check
    beyond = SimpleUploadedFile("beyond.csv", b"x" * (2 * MB + 64 * 1024))
    assert strict_client.post(url, {"file": beyond}).status_code == 413
    again = SimpleUploadedFile("fits.csv", b"x" * (2 * MB - 10))
    assert strict_client.post("/admin/races/session/1/change/", {"f": again}).status_code == 413
