"""First names and their short forms (drivers/short_forms.py): plain functions, no database."""

import pytest

from drivers import short_forms


def write(tmp_path, text):
    path = tmp_path / "short_forms.csv"
    path.write_text("name,short_form,source\n" + text, encoding="utf-8")
    return path


def test_names_linked_through_a_short_form_are_one_group_whatever_the_order_of_rows(tmp_path):
    rows = "Robert,Rob,s\nRobert,Bob,s\nRobin,Rob,s\nThomas,Tom,s\n"
    groups = short_forms.first_name_groups(write(tmp_path, rows))
    assert {groups[name] for name in ("robert", "rob", "bob", "robin")} == {"bob"}
    assert groups["thomas"] == groups["tom"] == "tom"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("jonathan", "jonny"),
        ("riccardo", "rocky"),
        ("max", "maxwell"),
        ("tom", "tommy"),
        ("joe", "joey"),
        ("rob", "robin"),
        ("robert", "bob"),  # the first row of Robert no longer hides the second
        ("steve", "stephen"),
        ("jack", "james"),
        ("jack", "john"),
    ],
)
def test_the_shipped_table_knows_the_common_short_forms(a, b):
    assert short_forms.same_first_name(a, b)
    assert short_forms.near_key(f"{a.title()} Example") == short_forms.near_key(f"{b} example")


def test_different_first_names_are_not_one():
    assert not short_forms.same_first_name("james", "thomas")
    assert not short_forms.same_first_name("maurice", "marcel")
