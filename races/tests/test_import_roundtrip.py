"""The site's export of a session, imported again into that session, proposes no change: over
every 2011 session of the demo data (partial classifications: no finish order, cars without
number, only class positions, cars registered for the LMS and the ILMC) and Le Mans editions
with reserves, non-starters, two cars of one number, classes told apart by a "+", a chassis
written with " - ", an entrant other than the team's name and a name the alias file splits by
year. An edited export proposes exactly its edits.

The demo data is loaded once for the module, outside the tests' transactions (as
test_demo_lms2011.py does), and removed afterwards.
"""

import csv
import io

import pytest

from drivers.models import Driver
from races.demo import lemans, lms2011
from races.importers import alkamel
from races.importers.classification import make_plan, run_import
from races.importers.export import export_session
from races.models import Crew, Entry, Registration, Result, Round, Session, Team
from races.tests.test_demo_lemans import wipe

pytestmark = pytest.mark.django_db

# 1937: Uli Richter, split by year in the alias file; 1957: two cars numbered 8; 1962: classes
# E+3.0 and E3.0, GT3.0 and GT+3.0, reserves and cars that did not arrive; 2007: two entries
# numbered 10 (did not qualify, did not start); 2011: the ILMC round, entrants named other than
# their team; 2021: chassis written "Oreca 07 - Gibson".
LE_MANS_YEARS = (1937, 1957, 1962, 2007, 2011, 2021)
SESSIONS_2011 = [
    ("6 Hours of Castellet", "Qualifying"),
    ("6 Hours of Castellet", "Race"),
    ("1000 km of Spa-Francorchamps", "Race"),
    ("24 Hours of Le Mans", "Race"),
    ("6 Hours of Imola", "Race"),
    ("6 Hours of Silverstone", "Race"),
    ("6 Hours of Estoril", "Qualifying"),
    ("6 Hours of Estoril", "Race"),
    ("Petit Le Mans", "Race"),
]


@pytest.fixture(scope="module", autouse=True)
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        lemans.load(years=set(LE_MANS_YEARS))
        assert lms2011.load() is True
        yield
        wipe()


def session_of(year, event, name="Race"):
    return Session.objects.select_related("event").get(
        event__last_day__year=year, event__name=event, name=name
    )


def le_mans(year):
    return session_of(year, "24 Hours of Le Mans")


def round_trip(session, edit=None):
    """The plan of the session's export (edited by `edit`, a function of the CSV rows as
    dicts) imported into the session."""
    text = export_session(session)
    if edit is not None:
        text = edited(text, edit)
    parsed = alkamel.parse(text.encode())
    return make_plan(session, parsed)


def edited(text, edit):
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";")
    rows = list(reader)
    edit(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, reader.fieldnames, delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def proposed(plan):
    """Every change, question or error the plan proposes, in words (empty: none)."""
    out = [str(error) for error in plan.errors]
    for rp in plan.rows:
        car = f"#{rp.row.number} (line {rp.row.line})"
        if rp.entry is None:
            out.append(f"{car}: new entry")
        out += [f"{car}: entry {change}" for change in rp.entry_changes]
        out += [f"{car}: result {change}" for change in rp.result_changes]
        if rp.row.result_status is not None and rp.result is None:
            out.append(f"{car}: new result")
        out += [f"{car}: {name} leaves the crew" for name in rp.crew_removed]
        out += [f"{car}: {name} stays, not named" for name in rp.crew_dropped]
        out += [f"{car}: {name} not added" for name in rp.crew_skipped]
        out += [
            f"{car}: team {rp.team.written} is new" for _ in [rp.team] if rp.team and rp.team.is_new
        ]
        out += [f"{car}: {m.written} is new or a question" for m in rp.drivers if m.obj is None]
    out += [f"result of #{r.entry.number} removed" for r in plan.removed_results]
    out += [f"class name {key}" for key in plan.class_names]
    if plan.mark_results_final:
        out.append("results marked final")
    return out


def test_the_module_covers_every_2011_session_of_the_demo_data():
    sessions = Session.objects.filter(event__last_day__year=2011).values_list("event__name", "name")
    assert sorted(sessions) == sorted(SESSIONS_2011)


@pytest.mark.parametrize(("event", "name"), SESSIONS_2011)
def test_the_export_of_a_2011_session_imports_back_with_no_change(event, name):
    session = session_of(2011, event, name)
    parsed = alkamel.parse(export_session(session).encode())
    assert parsed.errors == []
    assert proposed(make_plan(session, parsed)) == []


@pytest.mark.parametrize("year", LE_MANS_YEARS)
def test_the_export_of_a_le_mans_race_imports_back_with_no_change(year):
    assert proposed(round_trip(le_mans(year))) == []


def test_the_partial_sessions_have_cars_without_number_and_without_finish_order():
    """What the round trips above cover: the cases the export used to lose."""
    estoril = session_of(2011, "6 Hours of Estoril")
    assert estoril.results_status == Session.ResultsStatus.PARTIAL
    results = Result.objects.filter(session=estoril)
    assert results.filter(entry__number="").count() == 8
    assert results.filter(finish_order__isnull=True, class_position__isnull=False).count() == 4
    assert results.filter(status="unknown").count() == 1
    # Imola counts for the LMS and the ILMC: the import checks each car's registrations.
    assert Round.objects.filter(event__name="6 Hours of Imola").count() == 2


def test_importing_the_export_writes_nothing_for_partial_and_complete_sessions():
    sessions = [session_of(2011, "6 Hours of Estoril"), le_mans(2011), le_mans(1962)]
    counts = [
        Result.history.count(),
        Entry.history.count(),
        Crew.history.count(),
        Registration.objects.count(),
        Team.objects.count(),
        Driver.objects.count(),
    ]
    for session in sessions:
        before = list(Result.objects.filter(session=session).values().order_by("pk"))
        _plan, outcome = run_import(session, alkamel.parse(export_session(session).encode()))
        changes = {k: n for k, n in outcome.counts.items() if k not in ("cars", "results")}
        assert set(changes.values()) == {0}, session
        assert list(Result.objects.filter(session=session).values().order_by("pk")) == before
    assert [
        Result.history.count(),
        Entry.history.count(),
        Crew.history.count(),
        Registration.objects.count(),
        Team.objects.count(),
        Driver.objects.count(),
    ] == counts


def test_an_edited_export_of_a_complete_race_proposes_exactly_its_edits():
    session = le_mans(2011)
    retired = Result.objects.filter(session=session, status="retired").order_by("finish_order")
    lapped, stopped = retired[0], retired[1]

    def edit(rows):
        for row in rows:
            if row["ENTRY_ID"] == str(lapped.entry_id):
                row["LAPS"] = str(lapped.laps + 1)
            if row["ENTRY_ID"] == str(stopped.entry_id):
                row["STATUS"] = "Disqualified"

    plan = round_trip(session, edit)
    changes = proposed(plan)
    lap_change = f"laps {lapped.laps} → {lapped.laps + 1}"
    assert [c for c in changes if "distance_km" not in c] == [
        f"#{lapped.entry.number} (line {line_of(plan, lapped)}): result {lap_change}",
        f"#{stopped.entry.number} (line {line_of(plan, stopped)}): result status retired → "
        "disqualified",
    ]
    # The distance follows the laps (the circuit's length times the laps), nothing else.
    assert all(f"#{lapped.entry.number} " in c for c in changes if "distance_km" in c)
    assert plan.counts()["changed results"] == 2


def test_an_edited_export_of_a_partial_race_proposes_exactly_its_edits():
    session = session_of(2011, "6 Hours of Estoril")
    pecom = Result.objects.get(session=session, entry__number="39")
    winner = Result.objects.get(session=session, finish_order=1)

    def edit(rows):
        for row in rows:
            if row["ENTRY_ID"] == str(pecom.entry_id):
                row["STATUS"] = "Retired"
            if row["ENTRY_ID"] == str(winner.entry_id):
                row["LAPS"] = "224"

    plan = round_trip(session, edit)
    assert [c for c in proposed(plan) if "distance_km" not in c] == [
        f"#16 (line {line_of(plan, winner)}): result laps 225 → 224",
        f"#39 (line {line_of(plan, pecom)}): result status unknown → retired",
    ]


def line_of(plan, result):
    return next(rp.row.line for rp in plan.rows if rp.entry and rp.entry.pk == result.entry_id)
