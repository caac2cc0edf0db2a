"""Standings from the database: the rows read, the command, the demo season, the rules'
integrity and the editors' admin."""

import datetime as dt
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from races.demo import lms2011
from races.models import (
    Adjustment,
    ChampionshipRules,
    PointsScale,
    PoleAward,
    Round,
    ScalePoints,
    StandingsRow,
)
from races.standings import compute, season_data
from races.tests.test_admin import AdminForm, assert_form_error

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("standings", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def make_car(make_entry, make_crew, make_driver, make_registration):
    """A car with its crew, registered for exactly the seasons given (conftest's make_car
    registers for every championship of the event: here that is what is tested)."""
    from drivers.models import Driver

    def make(event, number, car_class, drivers=(), team=None, seasons=()):
        entry = make_entry(event=event, number=number, car_class=car_class, team=team)
        for order, name in enumerate(drivers, start=1):
            driver = Driver.objects.filter(full_name=name).first() or make_driver(name)
            make_crew(entry, driver=driver, order=order)
        for season in seasons:
            make_registration(entry, season)
        return entry

    return make


@pytest.fixture
def championship(
    make_class, make_season, make_series, make_circuit, make_event, make_round, make_session,
    make_car, make_result, make_team, make_registration,
):  # fmt: skip
    """Two LMS rounds on the LMS 2010 preset (+1 pole, teams with all their cars): at round 1 an
    ILMC-only car wins LMP2 and a Pro-Am sub-class car ranks in LMP2 by its parent-class
    position; round 2 counts double."""
    lmp2 = make_class("LMP2")
    pro_am = make_class("LMP2PA", parent=lmp2)
    lms = make_season(classes=[lmp2])
    ilmc = make_season(make_series("Intercontinental Le Mans Cup"), classes=[lmp2])
    ChampionshipRules.objects.create(
        season=lms,
        scale=PointsScale.objects.get(slug="le-mans-series-2010"),
        pole_points=D(1),
        team_standings=ChampionshipRules.TeamStandings.ALL_CARS,
    )
    pecom, oak = make_team("Pecom Racing"), make_team("OAK Racing")
    sessions, circuit = [], make_circuit()
    for number, name in [(1, "6 Hours of Imola"), (2, "6 Hours of Estoril")]:
        event = make_event(name, circuit=circuit, last_day=dt.date(2011, 7, number))
        make_round(lms, event, number)
        if number == 1:
            make_round(ilmc, event, 1)
        quali = make_session(event, kind="qualifying", name="Qualifying", order=1)
        race = make_session(event, order=2)
        sessions.append((event, quali, race))
    (imola, imola_q, imola_race), (estoril, _q, estoril_race) = sessions
    peugeot = make_car(imola, "7", lmp2, ["Gené"], seasons=[ilmc])
    kaffer = make_car(imola, "39", lmp2, ["Pierre Kaffer", "Matías Russo"], pecom, [lms])
    oak_car = make_car(imola, "24", pro_am, ["Olivier Pla"], team=oak, seasons=[lms])
    make_result(imola_race, peugeot, 1, class_position=1)
    make_result(imola_race, oak_car, 2, class_position=1, parent_class_position=2)
    make_result(imola_race, kaffer, 3, class_position=3)
    make_result(imola_q, kaffer, 1, class_position=1)
    later = make_car(estoril, "39", lmp2, ["Pierre Kaffer", "Matías Russo"], pecom, [lms])
    make_result(estoril_race, later, 1, class_position=1)
    Round.objects.filter(season=lms, number=2).update(points_factor=D(2))
    return lms


def test_season_data_reads_the_season_and_compute_applies_its_rules(championship):
    (lmp2,) = compute(season_data(championship))
    assert [(s.name, s.total) for s in lmp2.drivers] == [
        ("Matías Russo", D(44)),  # 2nd (the Peugeot is ILMC only) + pole: 14; then 15 × 2
        ("Pierre Kaffer", D(44)),
        ("Olivier Pla", D(15)),  # the Pro-Am car is 1st of the LMS's LMP2 cars
    ]
    assert [s.position for s in lmp2.drivers] == [1, 1, 3]
    assert [(s.name, s.total) for s in lmp2.teams] == [
        ("Pecom Racing", D(44)),
        ("OAK Racing", D(15)),
    ]


@pytest.mark.parametrize(
    ("race_sessions", "status", "races", "pla_can_win"),
    [
        (0, "scheduled", None, True),  # no session yet: may be a double-header
        (1, "scheduled", 1, False),  # 15 + 15 + 1 = 31 < 44
        (2, "scheduled", 2, True),  # a double-header: 15 + 2 × 15 + 1 = 46 >= 44
        (0, "cancelled", 0, False),
    ],
)
def test_a_round_still_to_run_counts_the_races_its_event_has(
    championship, make_circuit, make_event, make_round, make_session,
    race_sessions, status, races, pla_can_win,
):  # fmt: skip
    """After two rounds the Pecom drivers lead with 44, Olivier Pla has 15; round 3 is to run."""
    circuit = make_circuit("Silverstone Circuit", country="GB", time_zone="Europe/London")
    event = make_event(
        "6 Hours of Silverstone", circuit=circuit, last_day=dt.date(2011, 9, 11), status=status
    )
    make_round(championship, event, 3)
    make_session(event, kind="practice", name="Free practice", order=1, results_status="none")
    for order in range(2, 2 + race_sessions):
        make_session(event, name=f"Race {order - 1}", order=order, results_status="none")
    data = season_data(championship)
    assert data.rounds[-1].races == races
    rows = StandingsRow.objects.filter(
        table__season=championship, table__is_latest=True, table__kind="drivers"
    )
    assert rows.get(name="Olivier Pla").can_still_win is pla_can_win
    assert rows.get(name="Pierre Kaffer").can_still_win
    reachable = rows.get(name="Olivier Pla").max_reachable
    assert reachable == {None: None, 1: D(31), 2: D(46), 0: D(15)}[races]
    pla = next(line for line in run("le-mans-series", "2011").splitlines() if "Pla" in line)
    assert pla.split()[-2:] == [
        {None: "open", 1: "31", 2: "46", 0: "15"}[races],
        "yes" if pla_can_win else "no",
    ]


def test_season_data_reads_in_the_same_number_of_queries_for_few_and_many_cars(
    championship, make_circuit, make_event, make_round, make_session, make_car, make_result,
    make_registration, django_assert_num_queries,
):  # fmt: skip
    with django_assert_num_queries(13):
        season_data(championship)
    circuit = make_circuit("Silverstone Circuit", country="GB", time_zone="Europe/London")
    event = make_event("6 Hours of Silverstone", circuit=circuit, last_day=dt.date(2011, 9, 11))
    make_round(championship, event, 3)
    race = make_session(event)
    for i in range(1, 21):
        drivers = [f"Driver {i}", f"Other {i}"]
        car = make_car(event, str(i), championship.classes.get(), drivers, seasons=[championship])
        make_result(race, car, i, class_position=i)
    with django_assert_num_queries(13):
        data = season_data(championship)
    assert len(compute(data)[0].drivers) == 43


def test_an_adjustment_is_shown_with_its_reason(championship):
    round_ = championship.rounds.get(number=2)
    entry = round_.event.entries.get()
    Adjustment.objects.create(round=round_, entry=entry, points=D(-2), reason="Engine change")
    (lmp2,) = compute(season_data(championship))
    kaffer = next(s for s in lmp2.drivers if s.name == "Pierre Kaffer")
    assert kaffer.total == D(42)
    assert kaffer.cells[1].parts[-1].detail == "Engine change"
    output = run("le-mans-series", "2011", "--explain")
    assert "Pierre Kaffer, round 2: 1st in class +15; × 2 +15; Engine change -2" in output
    assert "28*" in output


def test_an_editor_set_pole_replaces_the_qualifying_pole(championship):
    rules = championship.rules
    round_ = championship.rounds.get(number=1)
    oak = round_.event.entries.get(number="24")
    PoleAward.objects.create(rules=rules, round=round_, car_class=oak.car_class.parent, entry=oak)
    (lmp2,) = compute(season_data(championship))
    assert {s.name: s.total for s in lmp2.drivers}["Olivier Pla"] == D(16)
    assert {s.name: s.total for s in lmp2.drivers}["Pierre Kaffer"] == D(43)


def test_the_command_prints_a_table_and_csv_after_any_round(championship):
    output = run("le-mans-series", "2011", "--after-round", "1")
    assert "Le Mans Series: standings after round 1 (rounds 1, 2)" in output
    assert "Notice: the results of this season are not all on record" in output
    lines = output.splitlines()
    assert any(line.split() == ["2", "Matías", "Russo", "14", "14", "46", "yes"] for line in lines)
    csv = run("le-mans-series", "2011", "--format", "csv", "--class", "LMP2")
    assert "LMP2,team,1,team:" in csv
    assert "R1: #39: 3rd in class" not in csv  # one car: parts are not prefixed by the car
    assert (
        "R1: 2nd in class +13; #7 ahead scored in another championship; class pole +1 | "
        "R2: 1st in class +15; × 2 +15"
    ) in csv


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["le-mans-series", "1999"], "No season 1999"),
        (["le-mans-series", "2011", "--class", "GT1"], "runs no class “GT1”"),
        (["le-mans-series", "2011", "--after-round", "9"], "has no round 9"),
    ],
)
def test_the_command_refuses_what_is_not_there(championship, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_the_command_says_when_a_season_has_no_rules(make_season):
    make_season()
    with pytest.raises(CommandError, match="has no championship rules"):
        run("le-mans-series", "2011")


def test_the_2011_demo_season_scores_lmp2_on_its_preset():
    assert lms2011.load() is True
    output = run("le-mans-series", "2011", "--class", "LMP2")
    assert "Notice:" in output
    lines = [line.split() for line in output.splitlines()]
    # Greaves won LMP2 at Silverstone too (caradisiac.com).
    assert ["1", "Greaves", "Motorsport", "15", "-", "15", "15", "13", "58"] in lines
    assert ["Pierre", "Kaffer", "13", "0", "9", "0", "0", "22"] in [line[1:] for line in lines]
    ilmc = run("intercontinental-le-mans-cup", "2011")
    # The ILMC Peugeot is entered by Peugeot Sport Total (races/demo/lms2011.py), so the team
    # is named rather than shown by its car number.
    row = ["1", "Peugeot", "Sport", "Total", "15", "15", "15", "-", "45"]
    assert row in [line.split() for line in ilmc.splitlines()]


# --- integrity --------------------------------------------------------------------------------


def assert_refused(obj, message):
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert message in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def test_the_three_preset_scales_are_shipped():
    scales = {
        s.slug: ([p.points for p in s.points.all()], s.further_points)
        for s in PointsScale.objects.prefetch_related("points")
    }
    assert scales["le-mans-series-2010"] == ([15, 13, 11, 9, 8, 7, 6, 5, 4, 3, 2], 1)
    assert scales["ilmc-2011"] == ([15, 13, 11, 9, 8, 7, 6, 5, 4, 3, 2, 1], 1)
    assert scales["elms-2015"] == ([25, 18, 15, 12, 10, 8, 6, 4, 2, 1], D("0.5"))


def test_a_scale_position_is_unique_and_points_not_negative():
    scale = PointsScale.objects.get(slug="elms-2015")
    assert_refused(ScalePoints(scale=scale, position=1, points=D(30)), "already exists")
    assert_refused(
        ScalePoints(scale=scale, position=11, points=D(-1)), "races_scalepoints_points_not_negative"
    )


def test_an_adjustment_names_a_car_or_a_driver_and_is_not_zero(championship, make_driver):
    round_ = championship.rounds.get(number=2)
    entry = round_.event.entries.get()
    driver = entry.crew.first().driver
    assert_refused(
        Adjustment(round=round_, entry=entry, driver=driver, points=D(-2), reason="Engine"),
        "Choose either a car or a driver.",
    )
    assert_refused(
        Adjustment(round=round_, entry=entry, points=D(0), reason="Engine"),
        "races_adjustment_points_not_zero",
    )
    assert_refused(
        Adjustment(round=round_, entry=entry, points=D(-2), reason=""),
        "This field cannot be blank.",
    )
    other = championship.rounds.get(number=1)
    with pytest.raises(ValidationError, match="not entered in the round's event"):
        Adjustment(round=other, entry=entry, points=D(-2), reason="Engine").full_clean()
    with pytest.raises(ValidationError, match="in no crew of the round"):
        Adjustment(round=round_, driver=make_driver("Nobody"), points=D(1), reason="X").full_clean()


def test_a_round_factor_is_not_negative(championship):
    round_ = championship.rounds.get(number=1)
    round_.points_factor = D(-1)
    assert_refused(round_, "races_round_points_factor_not_negative")


def test_best_n_cannot_exceed_the_number_of_rounds(championship):
    rules = championship.rules
    rules.best_n = 3
    with pytest.raises(ValidationError, match="The season has 2 rounds"):
        rules.full_clean()
    rules.best_n = 2
    rules.full_clean()


def test_an_editor_set_pole_must_be_a_car_of_the_rounds_event_in_its_class(championship):
    first, second = championship.rounds.order_by("number")
    entry = second.event.entries.get()
    award = PoleAward(rules=championship.rules, round=first, car_class=entry.car_class, entry=entry)
    with pytest.raises(ValidationError, match="not entered in the round's event"):
        award.full_clean()


# --- admin ------------------------------------------------------------------------------------


def test_points_that_rise_with_the_position_are_a_form_error(admin_client):
    scale = PointsScale.objects.get(slug="elms-2015")
    form = AdminForm(admin_client, f"/admin/races/pointsscale/{scale.pk}/change/")
    form.data["points-1-points"] = "30"
    assert_form_error(form.post(), "Position 2 scores more than position 1.")
    assert scale.points.get(position=2).points == 18


def test_a_gap_in_the_positions_is_a_form_error(admin_client):
    scale = PointsScale.objects.get(slug="elms-2015")
    form = AdminForm(admin_client, f"/admin/races/pointsscale/{scale.pk}/change/")
    form.add_row("points", position="12", points="0.5")
    assert_form_error(form.post(), "Positions must run 1, 2, 3… without a gap.")


def test_best_n_above_the_number_of_rounds_is_a_form_error(admin_client, championship):
    form = AdminForm(
        admin_client, f"/admin/races/championshiprules/{championship.rules.pk}/change/"
    )
    assert_form_error(form.post(best_n="5"), "The season has 2 rounds: at most 2 can count.")


def test_an_editor_sets_a_pole_and_an_adjustment_in_the_admin(client, championship):
    from django.contrib.auth.models import Group, User

    editor = User.objects.create_user("editor", password="pit-lane-2011", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    for page in ["pointsscale", "championshiprules", "adjustment"]:
        assert client.get(f"/admin/races/{page}/").status_code == 200
        assert client.get(f"/admin/races/{page}/add/").status_code == 200
    first = championship.rounds.get(number=1)
    oak = first.event.entries.get(number="24")
    form = AdminForm(client, f"/admin/races/championshiprules/{championship.rules.pk}/change/")
    form.add_row("pole_awards", round=str(first.pk), car_class=str(oak.car_class.parent_id),
                 entry=str(oak.pk))  # fmt: skip
    assert form.post().status_code == 302
    assert PoleAward.objects.get().entry == oak
    response = client.post(
        "/admin/races/adjustment/add/",
        {"round": first.pk, "entry": oak.pk, "points": "-4", "reason": "Second engine change"},
    )
    assert response.status_code == 302
    assert Adjustment.objects.get().history.count() == 1
