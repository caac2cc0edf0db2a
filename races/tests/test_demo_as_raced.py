"""The loader rules behind "as raced" (races/demo/lemans.py): the reasons that mean a car never
took part, and the reviewed file of listed drivers who did not drive. No database."""

import pytest

from races.demo import lemans
from races.demo.lemans import LoadError
from races.models import Entry
from races.tests.test_demo_parsing import raw_row


@pytest.mark.parametrize(
    ("pos", "reason", "expected"),
    [
        ("DNF", "Reserve", (Entry.Status.RESERVE, None, None)),
        ("DNF", "Did not arrive", (Entry.Status.DID_NOT_ARRIVE, None, None)),
        ("DNA", "Withdrawn", (Entry.Status.WITHDRAWN, None, None)),
        ("RES", "Widhdrawn", (Entry.Status.WITHDRAWN, None, None)),
        ("DNA", "Not accepted", (Entry.Status.NOT_ACCEPTED, None, None)),
        ("DNP", "Reserve entry", (Entry.Status.RESERVE, None, None)),
        ("DNS", "Did not qualify", (Entry.Status.DID_NOT_QUALIFY, None, None)),
        ("DNF", " reserve ", (Entry.Status.RESERVE, None, None)),
        # A car that took the start keeps its outcome, whatever else its reason says.
        ("DNF", "Withdrawn after 3rd hour accident", (Entry.Status.ENTERED, "retired", None)),
        ("DNF", "Engine", (Entry.Status.ENTERED, "retired", None)),
        ("3", "", (Entry.Status.ENTERED, "classified", 3)),
        ("DNA", "Race cancelled", (Entry.Status.DID_NOT_ARRIVE, None, None)),
    ],
)
def test_a_reason_that_means_the_car_never_took_part_is_its_entry_status(pos, reason, expected):
    assert lemans.parse_outcome_and_reason(pos, reason) == expected


def test_a_parsed_row_of_a_reserve_written_as_retired_has_no_result():
    row = lemans.parse_row(7, raw_row(Pos="DNF", Laps="0", Reason="Reserve"))
    assert (row.status, row.result_status, row.position) == ("reserve", None, None)


def test_every_did_not_drive_row_has_a_source_and_names_one_crew_member():
    listed = lemans.read_did_not_drive()
    assert (1965, "21", "Ed Hugus") in listed
    assert all(listed.values())
    assert lemans.did_not_drive_errors(lemans.read_data().rows, listed) == []


def test_a_did_not_drive_row_that_names_no_crew_member_fails_loudly():
    rows = [lemans.parse_row(2, raw_row())]
    listed = {(1965, "21", "Ed Hugues"): "a source"}
    assert lemans.did_not_drive_errors(rows, listed) == [
        "did-not-drive.csv: 1965 #21 'Ed Hugues' is in 0 crews of results_in.csv, not 1"
    ]


def test_a_did_not_drive_row_without_a_source_fails(tmp_path):
    path = tmp_path / "did-not-drive.csv"
    path.write_text("year,number,driver,source,note\n1965,21,Ed Hugus,,\n", encoding="utf-8")
    with pytest.raises(LoadError, match="line 2: no source"):
        lemans.read_did_not_drive(path)
