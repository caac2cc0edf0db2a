import pytest
from django_countries.fields import Country

from races.templatetags.racing import flag


@pytest.mark.parametrize(
    ("code", "name", "src"),
    [
        ("DE", "Germany", "/static/flags/de.gif"),
        ("DD", "East Germany", "/static/flags/dd.svg"),
        ("CS", "Czechoslovakia", "/static/flags/cs.svg"),
        ("RH", "Rhodesia", "/static/flags/rh.svg"),
        ("XS", "Scotland", "/static/flags/xs.svg"),
    ],
)
def test_every_country_of_the_data_has_its_flag_and_its_name(code, name, src):
    html = flag(Country(code))
    assert f'src="{src}"' in html
    assert name in html


@pytest.mark.parametrize("code", ["XR", "XW"])
def test_a_neutral_licence_is_text_without_a_flag(code):
    html = flag(Country(code))
    assert "<img" not in html
    assert "Neutral" in html


def test_the_flag_files_exist_for_every_extra_country_code(settings):
    from django.contrib.staticfiles import finders

    for code in ["dd", "cs", "rh", "xs"]:
        assert finders.find(f"flags/{code}.svg"), code
