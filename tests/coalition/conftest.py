"""Shared fixtures of the coalition tests."""

import datetime

import pytest

# The ally map tests' today: far enough from the demo and factory dates to set every risk window.
TODAY = datetime.date(2027, 3, 1)


@pytest.fixture
def today(time_machine):
    # Noon in Riverton, so that the local date is TODAY.
    time_machine.move_to(datetime.datetime(2027, 3, 1, 18, tzinfo=datetime.UTC), tick=False)
    return TODAY
