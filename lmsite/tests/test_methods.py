"""Public pages answer GET and HEAD only; request bodies and field counts are bounded."""

import pytest

pytestmark = pytest.mark.django_db
PUBLIC = [
    "/",
    "/drivers/",
    "/de/drivers/",
    "/search/?q=kaffer",
    "/health/",
    "/no-such-page/",
    "/sitemap.xml",
    "/robots.txt",
]


@pytest.mark.parametrize("url", PUBLIC)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options", "trace"])
def test_a_public_page_answers_only_get_and_head(client, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.content == b""
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", ["/", "/drivers/", "/health/"])
def test_get_and_head_still_answer(client, url):
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200


def test_the_admin_still_takes_posts(client, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    response = client.post("/admin/login/?next=/admin/", {"username": "boss", "password": "pw"})
    assert response.status_code == 302


def test_too_many_query_parameters_are_refused(client):
    query = "&".join(f"p{n}=1" for n in range(6000))
    assert client.get(f"/drivers/?{query}").status_code == 400


def test_a_large_form_body_in_the_admin_is_refused(admin_client):
    response = admin_client.post("/admin/drivers/driver/add/", {"bio": "x" * (2 * 2**20)})
    assert response.status_code == 413  # lmsite/bodylimit.py, before the form is read


def test_a_session_of_250_cars_can_still_be_posted(settings):
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS >= 250 * 17
