"""The Al Kamel classification parser: plain functions, no database."""

import datetime as dt
import os
import random
from decimal import Decimal

import pytest

from races.importers import alkamel, cells
from races.importers.alkamel import Gap, parse, parse_gap, parse_time, split_name
from races.tests.import_samples import ELMS, HEADER, IMSA, car, csv_bytes


def errors_of(content):
    return [str(problem) for problem in parse(content).errors]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4:00'04.690", dt.timedelta(hours=4, seconds=4.69)),
        ("4:00:04.690", dt.timedelta(hours=4, seconds=4.69)),
        ("12:00:26.215", dt.timedelta(hours=12, seconds=26.215)),
        ("1'36.144", dt.timedelta(minutes=1, seconds=36.144)),
        ("1:36.144", dt.timedelta(minutes=1, seconds=36.144)),
        ("28.869", dt.timedelta(seconds=28.869)),
        ("0.419", dt.timedelta(seconds=0.419)),
        ("", None),
    ],
)
def test_times_read_as_the_timing_sheets_write_them(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["4:00'4.69.1", "abc", "1'75.000", "4:75'00.000", "1''2"])
def test_a_time_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError, match="is not a time"):
        parse_time(text)


def test_a_time_of_more_than_999_hours_is_an_error_with_its_line_and_column():
    content = csv_bytes(car(1, "7", time="99999999999:00'04.690"))
    assert errors_of(content) == [
        "line 2, TOTAL_TIME: “99999999999:00'04.690” is not a time: more than 999 hours"
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (car(40000, "7"), "line 2, POSITION: “40000” is more than 999"),
        (car(1, "7", laps="99999999999999999999"), "line 2, LAPS: “99999999999999999999” is more"),
        (car(1, "7", best_lap="10001"), "line 2, FL_LAPNUM: “10001” is more than 10000"),
        (car(1, "7", laps="13²"), "line 2, LAPS: “13²” is not a whole number"),
        (car("1²", "7"), "line 2, POSITION: “1²” is not a position"),
    ],
)
def test_a_count_too_large_or_not_in_ascii_digits_is_an_error_with_its_line(line, message):
    errors = errors_of(csv_bytes(line))
    assert len(errors) == 1
    assert errors[0].startswith(message)


def test_a_file_of_more_than_120_cars_is_refused_with_the_count():
    content = csv_bytes(*(car(n, str(n)) for n in range(1, 122)))
    assert errors_of(content) == [
        "The file has 121 rows, more than the limit of 120: is it a classification?"
    ]
    assert parse(csv_bytes(*(car(n, str(n)) for n in range(1, 121)))).errors == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 Laps", Gap(laps=1)),
        ("1 Lap", Gap(laps=1)),
        ("-12 Laps", Gap(laps=-12)),
        ("28.869", Gap(time=dt.timedelta(seconds=28.869))),
        ("1'59.312", Gap(time=dt.timedelta(minutes=1, seconds=59.312))),
        ("", Gap()),
    ],
)
def test_gaps_are_a_time_or_a_number_of_laps_possibly_negative(text, expected):
    assert parse_gap(text) == expected


@pytest.mark.parametrize(
    ("written", "first", "last", "display"),
    [
        ("Simon DOLAN", "Simon", "DOLAN", "Simon Dolan"),
        ("Tom KIMBER-SMITH", "Tom", "KIMBER-SMITH", "Tom Kimber-Smith"),
        ("Matthew MCMURRY", "Matthew", "MCMURRY", "Matthew McMurry"),
        ("Adrien DE LEENER", "Adrien", "DE LEENER", "Adrien De Leener"),
        ("Alexander TALKANITSA JR", "Alexander", "TALKANITSA JR", "Alexander Talkanitsa Jr"),
        ("Paul-Loup CHATIN", "Paul-Loup", "CHATIN", "Paul-Loup Chatin"),
        ("Sébastien CRUBILÉ", "Sébastien", "CRUBILÉ", "Sébastien Crubilé"),
        ("Sam O'NEIL", "Sam", "O'NEIL", "Sam O'Neil"),
        ("Pierre Kaffer", "Pierre", "Kaffer", "Pierre Kaffer"),
        ("MIKA SALO", "MIKA", "SALO", "MIKA Salo"),
    ],
)
def test_the_surname_is_the_run_of_capitals_at_the_end(written, first, last, display):
    name = split_name(written)
    assert (name.first, name.last, name.display, name.written) == (first, last, display, written)


def test_the_elms_style_sample_reads_every_column():
    parsed = parse(ELMS.read_bytes())
    assert parsed.errors == []
    assert [row.number for row in parsed.rows] == ["21", "7", "77", "88", "5", "99", "3"]
    first = parsed.rows[0]
    assert first.line == 2
    assert (first.position, first.team, first.chassis, first.engine, first.tyres) == (
        1,
        "Lakeside Racing",
        "Oreca 07",
        "Gibson",
        "Michelin",
    )
    assert [name.written for name in first.drivers] == ["Anna KIMBER-SMITH", "Tom MCMURRY"]
    assert first.time == dt.timedelta(hours=4, seconds=10.5)
    assert (first.best_lap_number, first.best_lap) == (55, dt.timedelta(minutes=1, seconds=35.1))
    assert first.best_lap_kph == Decimal("185.2")
    gte = parsed.rows[2]
    assert (gte.car_class, gte.chassis, gte.engine, gte.gap_first) == (
        "LMGTE",
        "Ferrari 458 Italia",
        "",
        Gap(laps=5),
    )
    not_classified = parsed.rows[4]
    assert (not_classified.result_status, not_classified.laps) == ("not_classified", 118)
    assert not_classified.gap_previous == Gap(laps=-6)
    dns = parsed.rows[6]
    assert (dns.position, dns.result_status, dns.entry_status) == (None, None, "did_not_start")


def test_the_imsa_style_sample_reads_name_blocks_countries_tires_and_crlf():
    parsed = parse(IMSA.read_bytes())
    assert parsed.errors == []
    assert parsed.has_countries
    row = parsed.rows[1]
    assert [(n.first, n.last, n.country) for n in row.drivers] == [
        ("Pipo", "DERANI", "BR"),
        ("Felipe", "NASR", "BR"),
        ("Mike", "CONWAY", "GB"),
    ]
    assert parsed.rows[2].drivers[1].country == "BR"  # "Brazil", written out
    assert parsed.rows[0].time == dt.timedelta(hours=12, seconds=26.215)
    assert parsed.rows[0].tyres == "Michelin"


def test_columns_are_read_by_name_in_any_order_and_unknown_ones_ignored():
    header = "STATUS;CLASS;LAPS;NUMBER;POSITION;TEAM;DRIVER_1;HOURS;PIT_STOPS;"
    content = csv_bytes("Classified;LMP2;99;7;1;A Team;Ann BEE;4;12", header=header)
    parsed = parse(content)
    assert parsed.errors == []
    assert (parsed.rows[0].number, parsed.rows[0].laps) == ("7", 99)


def test_a_file_without_bom_with_crlf_and_without_the_trailing_separator_is_read():
    lines = [HEADER.rstrip(";"), car(1, "7").rstrip(";")]
    content = ("\r\n".join(lines) + "\r\n").encode()
    assert parse(content).errors == []


def test_the_car_number_stays_text():
    assert parse(csv_bytes(car(1, "007"))).rows[0].number == "007"


def test_an_empty_file_is_refused():
    assert errors_of(b"") == ["The file is empty."]
    assert errors_of(b"\xef\xbb\xbf\n\n") == ["The file is empty."]


def test_a_header_without_cars_is_refused():
    assert errors_of(csv_bytes()) == ["The file has a header but no cars."]


def test_a_file_in_another_encoding_is_refused_with_the_line():
    content = csv_bytes(car(1, "7"), car(2, "8", drivers="Sébastien CRUBILÉ"), bom=False)
    latin = content.decode().encode("latin-1")
    assert errors_of(latin) == [
        "line 3: the file is not UTF-8 (byte 0xe9): save or export it as UTF-8"
    ]


def test_a_missing_required_column_is_named():
    header = HEADER.replace("STATUS;", "").replace("LAPS;", "")
    assert errors_of(csv_bytes("1;7;T;Ann BEE;;;;V;M;LMP2;4:00'00.000", header=header)) == [
        "line 1: Required columns missing: STATUS, LAPS."
    ]


def test_a_file_without_driver_columns_is_refused():
    header = "POSITION;NUMBER;TEAM;CLASS;STATUS;LAPS;"
    assert (
        "DRIVER_1 or DRIVER1_FIRSTNAME"
        in errors_of(csv_bytes("1;7;T;LMP2;Classified;9", header=header))[0]
    )


def test_duplicate_car_numbers_and_positions_are_refused_with_both_lines():
    content = csv_bytes(car(1, "7"), car(2, "8"), car(2, "9"), car(4, "7"))
    assert errors_of(content) == [
        "line 5, NUMBER: car number 7 again (first on line 2)",
        "line 4, POSITION: position 2 again (first on line 3)",
    ]


def test_an_unparseable_time_is_refused_with_line_and_column():
    content = csv_bytes(car(1, "7"), car(2, "8", time="4:00'0x.000"), car(3, "9", best="fast"))
    assert errors_of(content) == [
        "line 3, TOTAL_TIME: “4:00'0x.000” is not a time (h:mm'ss.fff)",
        "line 4, FL_TIME: “fast” is not a time (h:mm'ss.fff)",
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (car("x", "7"), "line 2, POSITION: “x” is not a position"),
        (car(0, "7"), "line 2, POSITION: a position starts at 1"),
        (car("", "7"), "line 2, POSITION: no position for a car that started"),
        (car(1, ""), "line 2, NUMBER: no car number"),
        (car(1, "1234567"), "line 2, NUMBER: longer than 6 characters"),
        (car(1, "7", cls=""), "line 2, CLASS: no class"),
        (car(1, "7", laps="-3"), "line 2, LAPS: “-3” is not a whole number"),
        (car(1, "7", status="Finished"), "line 2, STATUS: unknown status “Finished”"),
        (car(1, "7", gap="lots"), "line 2, GAP_FIRST: “lots” is neither a time nor"),
        (car(1, "7") + ";extra;values", "line 2: 21 values for 18 columns."),
    ],
)
def test_a_bad_value_is_an_error_with_its_line_and_column(line, message):
    errors = errors_of(csv_bytes(line))
    assert len(errors) == 1
    assert errors[0].startswith(message)


def test_a_negative_gap_to_the_leader_is_a_warning_and_not_kept():
    parsed = parse(csv_bytes(car(1, "7", gap="-2 Laps")))
    assert parsed.errors == []
    assert parsed.rows[0].gap_first == Gap()
    assert [str(w) for w in parsed.warnings] == [
        "line 2, GAP_FIRST: a negative gap to the leader is not kept"
    ]


def test_a_bad_value_in_a_column_not_stored_is_only_a_warning():
    line = car(1, "7").replace("180.0", "fast")
    parsed = parse(csv_bytes(line))
    assert parsed.errors == []
    assert [str(w) for w in parsed.warnings] == ["line 2, FL_KPH: “fast” is not a number (ignored)"]


def test_ten_megabytes_of_garbage_are_refused_quickly_with_a_clear_message():
    garbage = random.Random(7).randbytes(10 * 2**20)
    assert errors_of(garbage) == [
        "The file is 10.0 MB, larger than the limit of 2 MB: is it a classification?"
    ]
    under_the_limit = garbage[: 2 * 2**20].replace(b"\x00", b"")
    (error,) = errors_of(under_the_limit)
    assert "the file is not UTF-8" in error
    assert error.startswith("line ")


def test_text_garbage_is_not_a_classification():
    text = os.urandom(300_000).hex().encode()  # one long line of letters and digits
    assert errors_of(text) == [
        "line 1: No header separated by `;` or `,`: this is not an Al Kamel classification file."
    ]
    lines = b"\n".join([HEADER.encode(), b"x;" * 200_000])
    assert errors_of(lines) == [
        "line 2: 400000 characters, more than the limit of 4000 for one line: is it a "
        "classification?"
    ]
    lines = b"\n".join([HEADER.encode(), b"x;" * 200])
    errors = errors_of(lines)
    assert errors[0].startswith("line 2: 201 values for 18 columns")


def test_an_unterminated_quote_is_an_error_not_a_crash():
    errors = errors_of(csv_bytes(car(1, "7"), '2;"8;Team'))
    assert errors
    assert all(isinstance(e, str) for e in errors)


def test_at_most_fifty_problems_are_listed():
    content = csv_bytes(*(car(1, str(n), time="bad") for n in range(alkamel.MAX_ROWS)))
    errors = errors_of(content)
    assert len(errors) == alkamel.MAX_PROBLEMS + 1
    assert errors[-1].startswith("…and ")


def test_a_header_of_too_many_columns_is_refused_before_any_other_check():
    header = HEADER + "".join(f"EXTRA_{n};" for n in range(alkamel.MAX_COLUMNS))
    assert errors_of(csv_bytes(car(1, "7"), header=header)) == [
        f"line 1: The header has {alkamel.MAX_COLUMNS + 18} columns, more than the limit of "
        f"{alkamel.MAX_COLUMNS}: is it a classification?"
    ]


def test_forty_thousand_columns_of_one_name_are_refused_by_the_column_limit():
    header = "POSITION;" * 40_000
    (error,) = errors_of(header.encode())
    assert error.startswith("line 1: The header has 40000 columns, more than the limit of")


def test_a_line_longer_than_the_limit_is_refused_naming_its_line_and_the_limit():
    long_team = "x" * alkamel.MAX_LINE
    content = csv_bytes(car(1, "7"), car(2, "8", team=long_team))
    assert errors_of(content) == [
        f"line 3: {len(car(2, '8', team=long_team)) + 1} characters, more than the limit of "
        f"{alkamel.MAX_LINE} for one line: is it a classification?"
    ]


def test_a_file_of_more_lines_than_the_limit_is_refused_even_when_they_are_empty():
    content = csv_bytes(car(1, "7"), *([";"] * alkamel.MAX_LINES))
    assert errors_of(content) == [
        f"The file has {alkamel.MAX_LINES + 2} lines, more than the limit of "
        f"{alkamel.MAX_LINES}: is it a classification?"
    ]
    assert parse(csv_bytes(car(1, "7"), *([""] * 100))).errors == []


def test_columns_named_twice_are_still_named_once_each():
    header = HEADER + "TEAM;LAPS;TEAM;"
    assert errors_of(csv_bytes(car(1, "7"), header=header)) == [
        "line 1: Columns named twice: LAPS, TEAM."
    ]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ('+HYPERLINK("x")', '\'+HYPERLINK("x")'),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("''@x", "'''@x"),
        ("'plain", "'plain"),
        ("-3.5", "-3.5"),
        ("+2", "+2"),
        ("-12 Laps", "'-12 Laps"),
        ("Plain", "Plain"),
        ("", ""),
        # fullwidth signs, which spreadsheets read as their ASCII ones
        ("＝1+1", "'＝1+1"),
        ("＋HYPERLINK()", "'＋HYPERLINK()"),
        ("－2+3", "'－2+3"),
        ("＠SUM(1)", "'＠SUM(1)"),
        # a cell a spreadsheet splits at a comma, a semicolon or a tab
        (",=1+1", ",'=1+1"),
        ("Team;@SUM(1)", "Team;'@SUM(1)"),
        ("a\t=1", "a\t'=1"),
        ("\t=1", "'\t'=1"),
        ("a,'=1,b", "a,''=1,b"),
        ("-3.5;x", "'-3.5;x"),
        ("x;-3.5", "x;-3.5"),
        ("1,-2", "1,-2"),
        ("-3,5", "-3,5"),
        ("a, b", "a, b"),
        ("+,1", "'+,1"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_neutralised_and_restored_exactly(value, written):
    assert cells.neutralise(value) == written
    assert cells.restore(written) == value


FORMULA = tuple("=+-@\t\r＝＋－＠")


@pytest.mark.parametrize("seed", range(3))
def test_no_split_of_a_written_cell_starts_a_formula_and_every_cell_comes_back(seed):
    rng = random.Random(seed)
    alphabet = ["=", "+", "-", "@", ",", ";", "\t", "'", "1", ".", "a", " ", "＝", "＠"]
    for _ in range(3000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        written = cells.neutralise(value)
        assert cells.restore(written) == value, (value, written)
        for separator in ("", ",", ";", "\t"):
            for part in written.split(separator) if separator else [written]:
                bare = part.lstrip("'")
                if part == bare and part.startswith(FORMULA):
                    assert alkamel_plain_number(part), (value, written, part)


def alkamel_plain_number(text):
    import re

    return re.fullmatch(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)", text) is not None


@pytest.mark.parametrize(
    ("line", "where"),
    [
        (car(1, "7", team="Evil\u202eRacing"), "line 2, TEAM"),
        (car(1, "7", drivers="Anna\x07 SMITH"), "line 2, DRIVER_1"),
        (car(1, "7", drivers="Anna SMITH|Bob \x1bJONES"), "line 2, DRIVER_2"),
        # not line ends: the line separators str.splitlines() split on
        (car(1, "7", team="Line\u2028Racing"), "line 2, TEAM"),
        (car(1, "7", drivers="Anna\u2029 SMITH"), "line 2, DRIVER_1"),
        (car(1, "7", vehicle="Oreca\u2028 07 - Gibson"), "line 2, VEHICLE"),
        (car(1, "7\x0c", drivers="Anna SMITH"), "line 2, NUMBER"),
        (car(1, "7", team="Next\x85Line"), "line 2, TEAM"),
    ],
)
def test_a_control_character_in_a_name_is_an_error_with_its_place(line, where):
    (error,) = errors_of(csv_bytes(line))
    assert error.startswith(f"{where}: a control character (U+")


def test_a_byte_that_is_not_utf8_after_a_byte_order_mark_is_named_with_its_line():
    content = "\ufeffPOSITION;NUMBER\n".encode() + b"1;Caf\xe9;\n"
    assert errors_of(content) == [
        "line 2: the file is not UTF-8 (byte 0xe9): save or export it as UTF-8"
    ]
    content = "\ufeffPOSITION;NUMBER\n".encode() + b"1;\xff\n"
    assert errors_of(content) == [
        "line 2: the file is not UTF-8 (byte 0xff): save or export it as UTF-8"
    ]


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("POSITION;NUMBER\n".encode("utf-16-le"), "UTF-16"),
        ("POSITION;NUMBER\n".encode("utf-16"), "UTF-16"),
        (b"\xfe\xff" + "POSITION;NUMBER\n".encode("utf-16-be"), "UTF-16"),
        ("POSITION;NUMBER\n".encode("utf-32"), "UTF-32"),
        (b"\x00\x00\xfe\xff" + "POSITION;NUMBER\n".encode("utf-32-be"), "UTF-32"),
    ],
)
def test_utf16_and_utf32_are_told_apart(content, encoding):
    if not content.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        content = b"\xff\xfe" + content
    assert errors_of(content) == [f"line 1: the file is {encoding}: save or export it as UTF-8"]


def test_two_byte_order_marks_are_named_as_such():
    content = b"\xef\xbb\xbf" + csv_bytes(car(1, "7"))
    assert errors_of(content) == [
        "line 1: the file starts with two byte-order marks: save or export it as UTF-8 again"
    ]


def test_more_driver_places_than_a_car_has_are_refused():
    places = alkamel.MAX_DRIVER_PLACES + 1
    header = HEADER.replace(
        "DRIVER_1;DRIVER_2;DRIVER_3;DRIVER_4;", "".join(f"DRIVER_{p};" for p in range(places))
    )
    assert errors_of(csv_bytes(header=header)) == [
        f"line 1: The header has {places} driver places, more than the limit of "
        f"{alkamel.MAX_DRIVER_PLACES} for one car."
    ]


def test_a_driver_column_is_numbered_in_ascii_digits():
    header = HEADER.replace("DRIVER_2;", "DRIVER_\u0662;")  # ARABIC-INDIC DIGIT TWO: not place 2
    parsed = parse(csv_bytes(car(1, "1", drivers="Anna SMITH|Bob JONES"), header=header))
    assert parsed.errors == []
    assert [name.last for name in parsed.rows[0].drivers] == ["SMITH"]


def test_a_file_naming_more_drivers_than_the_limit_is_refused():
    cars = alkamel.MAX_NAMES // 4 + 1
    crews = [car(n, str(n), drivers="A BB|C DD|E FF|G HH") for n in range(1, cars + 1)]
    assert errors_of(csv_bytes(*crews)) == [
        f"The file names {cars * 4} drivers, more than the limit of {alkamel.MAX_NAMES}: is it "
        "a classification?"
    ]
    assert parse(csv_bytes(*crews[:-1])).errors == []
