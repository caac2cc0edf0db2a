import pytest
from django.core.exceptions import ValidationError

from drivers.names import Name, fold, parse_name, slug_for, validate_printable


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Sergio Pérez", "sergio perez"),
        ("Stéphane Ortelli", "stephane ortelli"),
        ("Señor Ñandú", "senor nandu"),
        ("Emmanuel Collard", "emmanuel collard"),
        ("Łukasz Świrski", "lukasz swirski"),
    ],
)
def test_fold_removes_accents(name, key):
    assert fold(name) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Ørjan Fjeld", "orjan fjeld"),
        ("Jürgen Großmann", "jurgen grossmann"),
        ("Æsa Ærø", "aesa aero"),
        ("Þór Guðmundsson", "thor gudmundsson"),
        ("ÞÓRÐUR", "thordur"),
        ("Đorđe Œuvre", "dorde oeuvre"),
    ],
)
def test_fold_spells_out_letters_that_have_no_combining_accent(name, key):
    assert fold(name) == key


def test_fold_ignores_case():
    assert fold("ÉRIC HÉLARY") == fold("éric hélary") == "eric helary"


def test_fold_collapses_and_trims_spacing():
    assert fold("  Luís \t Pérez\nCompanc ") == "luis perez companc"


def test_folded_names_written_differently_match():
    assert fold("Luís  Pérez Companc") == fold("luis perez companc")


def test_fold_keeps_hyphens_and_apostrophes():
    assert fold("Hans-Joachim Stuck") == "hans-joachim stuck"
    assert fold("Dindo O'Connell") == "dindo o'connell"


def test_fold_keeps_titles_so_they_never_match_a_plain_name():
    assert fold("Sir Stirling Moss") == "sir stirling moss"
    assert fold("Sir Stirling Moss") != fold("Stirling Moss")


def test_fold_keeps_the_first_name_unknown_placeholder():
    assert fold("F.N.U. Smith") == "f.n.u. smith"
    assert fold("f.n.u. Smith") != fold("Smith")


def test_fold_keeps_pseudonyms_in_quotes():
    assert fold('Jean-Marc "Jimmy" Gounon') == 'jean-marc "jimmy" gounon'
    assert fold('"Jimmy"') != fold("Jimmy")


def test_slug_for_is_the_folded_name_with_hyphens():
    assert slug_for("Luís Pérez Companc") == "luis-perez-companc"


def test_slug_for_spells_out_special_letters():
    assert slug_for("Ørjan Großmann") == "orjan-grossmann"


def test_slug_for_drops_punctuation_but_keeps_titles_and_placeholders():
    assert slug_for("Sir Stirling Moss") == "sir-stirling-moss"
    assert slug_for("f.n.u. Smith") == "fnu-smith"
    assert slug_for('Jean-Marc "Jimmy" Gounon') == "jean-marc-jimmy-gounon"


def test_slug_for_ignores_case_and_spacing():
    assert slug_for("  STÉPHANE   Ortelli ") == "stephane-ortelli"


@pytest.mark.parametrize(
    "name",
    [
        "Bell\x07 Ringer",
        "Esc\x1b[31m",
        "Evil\u202eTeam",
        "Left\u200eMark",
        "Tab\tName",
        "Nul\x00",
        "Line\u2028Separator",  # Zl and Zp: str.splitlines() splits on them
        "Paragraph\u2029Separator",
    ],
)
def test_a_name_with_a_control_character_is_refused(name):
    with pytest.raises(ValidationError, match="control character"):
        validate_printable(name)


@pytest.mark.parametrize("name", ["Luís Pérez Companc", "Jean-Éric O'Neil", "می\u200cخواهم", "李"])
def test_a_name_in_any_script_is_accepted(name):
    validate_printable(name)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/drivers/driver/add/", {"full_name": "Evil\u202eDriver", "slug": "evil"}),
        ("/admin/races/team/add/", {"name": "Bell\x07 Racing", "slug": "bell"}),
    ],
)
def test_the_admin_refuses_a_name_with_a_control_character(admin_client, url, data):
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "control character" in response.text


@pytest.mark.parametrize(
    ("written", "name", "title", "known"),
    [
        ("Miss Keiko Ihara", "Keiko Ihara", "Miss", True),
        ("Mrs. Kay Petre", "Kay Petre", "Mrs.", True),
        ("Dr. Helmut Marko", "Helmut Marko", "Dr.", True),
        # A peerage written after the name is a title too; a rank before it comes first.
        ("Francis Curzon, Earl Howe", "Francis Curzon", "Earl Howe", True),
        ("Peter Mitchell-Thomson, Lord Selsdon", "Peter Mitchell-Thomson", "Lord Selsdon", True),
        ("Brian Lewis,  Baron Essendon", "Brian Lewis", "Baron Essendon", True),
        (
            "Lt. Col. Edward Russell, Lord de Clifford",
            "Edward Russell",
            "Lt. Col. Lord de Clifford",
            True,
        ),
        ("Sammy Davis, Jr.", "Sammy Davis, Jr.", "", True),  # not a peerage
        ("Howe, Earl", "Howe, Earl", "", True),  # no peerage name after the rank
        ('Prince Birabongse Bhanubandh ("Bira")', 'Birabongse Bhanubandh ("Bira")', "Prince", True),
        (
            "Fürst Paul von Metternich-Winneburg",
            "Paul von Metternich-Winneburg",
            "Fürst",
            True,
        ),
        ("f.n.u. Stalter", "Stalter", "", False),
        ("F.N.U. van Cuyck", "van Cuyck", "", False),
        ("Daniélault", "Daniélault", "", False),
        ('"Beurlys"', '"Beurlys"', "", True),
        ("Earl Bamber", "Earl Bamber", "", True),
        ("Don Yenko", "Don Yenko", "", True),
        ("R.R.C. Rob Walker", "R.R.C. Rob Walker", "", True),
        ("Miss", "Miss", "", False),  # a title alone stays the name
        ("  Sir   Stirling  Moss ", "Stirling Moss", "Sir", True),
    ],
)
def test_parse_name_splits_titles_and_the_placeholder_off_the_name(written, name, title, known):
    assert parse_name(written) == Name(name, title, known)


# Free text shown on pages besides names: none holds a control character or a line separator.
SHOWN_TEXT = [
    ("races", "CarClass", "code"),
    ("races", "Circuit", "place"),
    ("races", "Entry", "number"),
    ("races", "Entry", "chassis"),
    ("races", "Entry", "engine"),
    ("races", "Entry", "tyres"),
    ("races", "Entry", "manufacturer"),
    ("races", "Result", "reason"),
    ("races", "Adjustment", "reason"),
    ("races", "Title", "margin"),
    ("drivers", "Driver", "birth_place"),
]


@pytest.mark.parametrize(("app", "model", "field"), SHOWN_TEXT)
@pytest.mark.parametrize("text", ["Oreca\u2028 07", "Le\x07 Mans", "\u202eLMP2"])
def test_free_text_shown_on_pages_refuses_control_characters(app, model, field, text):
    from django.apps import apps

    with pytest.raises(ValidationError, match="control character"):
        apps.get_model(app, model)._meta.get_field(field).run_validators(text)
