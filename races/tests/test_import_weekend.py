"""A race weekend and a season from official timing files in one go: every layout the project
writes (races/tests/timing_files.py), placed in its sessions, crews and names settled."""

import io

import pytest
from django.core.management import CommandError, call_command

from drivers.models import Driver
from races.importers.weekend import read_folder, run_weekend
from races.models import (
    Crew,
    DriverLicence,
    Entry,
    Result,
    Round,
    Session,
)
from races.tests import timing_files as tf

pytestmark = pytest.mark.django_db


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def season():
    return tf.create_calendar()


def test_a_synthetic_season_imports_with_import_season_alone(season, tmp_path):
    tf.write_season(tmp_path)
    out, err = run("import_season", tf.SERIES, str(tf.YEAR), str(tmp_path))
    print(out[-3000:], err[-3000:])
    assert "6 rounds imported." in out
