"""The demo data's explanations of data-health findings (races/demo/explained.py)."""

import io

import pytest

from races.demo import explained
from races.models import FindingExplanation

pytestmark = pytest.mark.django_db

HEADER = "rule,key,reason,source\n"


def write(tmp_path, text):
    path = tmp_path / "explained.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    return path


def test_the_site_file_gives_a_known_rule_a_reason_and_a_source_on_every_row():
    rows = explained.read_explained()
    assert rows
    assert all(reason and source for _rule, _key, reason, source in rows)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no-such-rule,k,r,s\n", "line 2: no rule 'no-such-rule'"),
        ("career-gap,k,,s\n", "line 2: a key, a reason and a source"),
        ("career-gap,k,r,\n", "line 2: a key, a reason and a source"),
        ("career-gap,,r,s\n", "line 2: a key, a reason and a source"),
        ("career-gap,k,r,s\ncareer-gap,k,r2,s2\n", "line 3: career-gap k again"),
    ],
)
def test_a_malformed_row_is_refused_with_its_line(tmp_path, text, message):
    with pytest.raises(explained.ExplainedError, match=message):
        explained.read_explained(write(tmp_path, text))


def test_loading_twice_writes_each_explanation_once_and_keeps_an_editors(tmp_path):
    path = write(tmp_path, "career-gap,mario-andretti,One driver.,https://example.org\n")
    FindingExplanation.objects.create(rule="career-gap", key="tom-cloet", reason="An editor's.")
    out = io.StringIO()
    assert explained.load(out, path) == 1
    assert "1 explanations of findings loaded (1 in all)" in out.getvalue()
    assert explained.load(None, path) == 0
    assert FindingExplanation.objects.count() == 2
    loaded = FindingExplanation.objects.get(key="mario-andretti")
    assert (loaded.reason, loaded.source, loaded.explained_by) == (
        "One driver.",
        "https://example.org",
        None,
    )
