"""The championship rules on a season imported from official timing files alone: the synthetic
six-round ELMS season of the weekend import (races/tests/timing_files.py, `import_season`),
with LMP2 Pro/Am its own championship and who drove from the lap analyses (`import_laps`),
gives the standings a plain count of its files gives, every cell explained. The rules are set
as an editor sets them, through the admin's forms: nothing is written to the database by hand."""

import io
from collections import defaultdict
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from races import standings_page
from races.models import CarClass, ChampionshipRules, Crew, PointsScale, Result, Round
from races.standings import compute, season_data
from races.stored_standings import stored_cell
from races.tests import timing_files as tf
from races.tests.test_admin import AdminForm

pytestmark = pytest.mark.django_db
SCALE = (25, 18, 15, 12, 10, 8, 6, 4, 2, 1)


def drivers_who_did_not_drive():
    return {(number, name.split()[0]) for number, name in tf.DID_NOT_DRIVE}


def editor(client):
    """A client logged in as a member of the Editors group (no superuser rights)."""
    user = User.objects.create_user("editor", password="pit-lane-2030", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def set_the_rules_in_the_admin(client, season):
    """What an editor does before the first round: LMP2 Pro/Am made its own championship on the
    class's change form, then the season's rules added from the season with the preset the
    admin proposes (its scale and its pole bonus) and "only drivers who drove score" ticked."""
    pro_am = CarClass.objects.get(code="LMP2 Pro-Am")
    form = AdminForm(client, f"/admin/races/carclass/{pro_am.pk}/change/")
    assert "own_championship" not in form.data
    assert form.post(own_championship="on").status_code == 302

    proposed = PointsScale.objects.presets_for(season).first()
    assert (proposed.series_slug, proposed.slug) == (tf.SERIES, "elms-top-ten")
    form = AdminForm(client, f"/admin/races/championshiprules/add/?season={season.pk}")
    assert (form.data["season"], form.data["scale"]) == (str(season.pk), str(proposed.pk))
    assert D(form.data["pole_points"]) == proposed.pole_points == 1
    assert form.post(drove_required="on").status_code == 302
    rules = ChampionshipRules.objects.get(season=season)
    assert (rules.scale, rules.pole_points, rules.drove_required) == (proposed, 1, True)


def import_the_season(folder, client):
    """The season as an editor gets it: the calendar, the rules an editor sets in the admin
    (LMP2 Pro/Am its own championship, the proposed preset: the top-ten scale with a pole point
    per class; only those who drove score), then `import_season` alone on the folder the project
    writes: every round's classifications and the lap analysis of its race."""
    season = tf.create_calendar(rules=False)
    set_the_rules_in_the_admin(editor(client), season)
    tf.write_season(folder / "files")
    out = io.StringIO()
    call_command("import_season", tf.SERIES, str(tf.YEAR), str(folder / "files"), stdout=out)
    assert Crew.objects.filter(entry__event__rounds__season=season, drove=None).count() == 0
    double = Round.objects.get(season=season, number=tf.DOUBLE_HEADER).event
    assert list(double.sessions.filter(kind="race").values_list("name", flat=True)) == [
        "Race 1",
        "Race 2",
    ]
    both = Crew.objects.get(entry__event=double, entry__number="27", order=1)
    assert (both.laps, both.drove) == (30, True)  # the two races' analyses add up
    return season


def counted(season):
    """{(class, car): points} counted from the stored results: 25…1 by finish order within each
    class, +1 to the first of each class in each qualifying session."""
    points = defaultdict(D)
    for round_ in Round.objects.filter(season=season):
        results = Result.objects.filter(session__event=round_.event).select_related(
            "entry__car_class", "session"
        )
        race = sorted(
            (r for r in results if r.session.kind == "race" and r.status == "classified"),
            key=lambda r: (r.session.order, r.finish_order),
        )
        places = defaultdict(int)  # each race of a double-header counts
        for result in race:
            code = result.entry.car_class.code
            places[result.session_id, code] += 1
            if places[result.session_id, code] <= len(SCALE):
                points[code, result.entry.number] += SCALE[places[result.session_id, code] - 1]
        poles = {}
        for result in sorted(
            (r for r in results if r.session.kind == "qualifying" and r.position),
            key=lambda r: (r.session.order, r.position),
        ):
            poles.setdefault((result.session_id, result.entry.car_class.code), result)
        for (_session, code), result in poles.items():
            points[code, result.entry.number] += 1
    return {key: value for key, value in points.items() if value}


def test_the_imported_season_gives_the_standings_its_files_count(tmp_path, client):
    season = import_the_season(tmp_path, client)
    computed = {}
    not_driving = {name.split()[0] + " " + name.split()[1].title() for _, name in tf.DID_NOT_DRIVE}
    said_not_driving, double_header_cells = set(), 0
    for standings in compute(season_data(season)):
        for team in standings.teams:
            if team.total:
                computed[standings.code, team.name.rsplit("#", 1)[1]] = team.total
        for contender in (*standings.teams, *standings.drivers):
            for cell in contender.cells:
                assert cell.parts
                words = standings_page.explanation(stored_cell(cell), standings.code)
                text = "".join(piece.text for piece in words)
                if contender.name in not_driving:
                    assert "but did not drive: no points" in text, (contender.name, text)
                    said_not_driving.add(contender.name)
                elif cell.round_number == tf.DOUBLE_HEADER:  # a non-driver's cell: the round
                    assert "Race 1: " in text, (contender.name, text)
                    assert "Race 2: " in text, (contender.name, text)
                    double_header_cells += 1
    assert said_not_driving == not_driving
    assert double_header_cells
    assert computed == counted(season)
    assert any(code == "LMP2 Pro-Am" for code, _number in computed)
    names = {d.name: d.total for s in compute(season_data(season)) for d in s.drivers}
    for number, name in tf.DID_NOT_DRIVE:
        first, last = name.split()
        assert names[f"{first} {last.title()}"] == 0, number
