"""Dates and times within the years both databases and the site's time zones can hold: a form
error, not a 500 (SQLite's conversion to UTC overflowed at the year 1 and the year 9999)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from races.models import Event, Session
from races.tests.test_admin import AdminForm, assert_form_error, change_url, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start_0", "start_1"),
    [("0001-01-01", "00:30:00"), ("9999-12-31", "23:30:00"), ("1000-01-01", "12:00:00")],
)
def test_a_session_start_out_of_range_is_a_form_error(admin_client, world, start_0, start_1):  # noqa: F811
    form = AdminForm(admin_client, change_url(world.session))
    response = form.post(start_0=start_0, start_1=start_1)
    assert_form_error(response, "Enter a year from 1900 to 2100.")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_an_event_day_out_of_range_is_a_form_error(admin_client, world, day):  # noqa: F811
    form = AdminForm(admin_client, change_url(world.event))
    assert_form_error(form.post(last_day=day), "Enter a year from 1900 to 2100.")


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Session, "start", dt.datetime(1, 1, 1, 12, tzinfo=dt.UTC)),
        (Session, "start", dt.datetime(2101, 1, 1, 12, tzinfo=dt.UTC)),
        (Event, "first_day", dt.date(1899, 12, 31)),
        (Event, "last_day", dt.date(9999, 12, 31)),
        (Event, "postponed_from", dt.date(1, 1, 1)),
    ],
)
def test_the_fields_refuse_a_year_out_of_range(model, field, value):
    with pytest.raises(ValidationError, match="1900 to 2100"):
        model._meta.get_field(field).run_validators(value)
