"""The equity dashboard's settings: the smallest count shown and the under-heard ratio, set by admins."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from engagements.models import EquitySettings
from engagements.services.baseline import equity_settings_update
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/equity/settings/"


def test_the_defaults_hold_until_an_admin_saves(client, admin_user):
    """With no row saved the form shows 5 and 0.80, and opening it writes nothing."""
    client.force_login(admin_user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["form"]["minimum_cell"].value() == 5
    assert response.context["form"]["under_heard_ratio"].value() == Decimal("0.80")
    assert not EquitySettings.objects.exists()


def test_an_admin_saves_new_thresholds(client, admin_user):
    client.force_login(admin_user)
    response = client.post(URL, {"minimum_cell": "10", "under_heard_ratio": "0.75"}, follow=True)
    assert "Equity settings saved." in response.content.decode()
    config = EquitySettings.current()
    assert (config.pk, config.minimum_cell, config.under_heard_ratio) == (1, 10, Decimal("0.75"))
    client.post(URL, {"minimum_cell": "3", "under_heard_ratio": "0.9"})
    assert EquitySettings.objects.count() == 1
    assert EquitySettings.current().minimum_cell == 3


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"minimum_cell": "0", "under_heard_ratio": "0.8"}, "minimum_cell"),
        ({"minimum_cell": "101", "under_heard_ratio": "0.8"}, "minimum_cell"),
        ({"minimum_cell": "abc", "under_heard_ratio": "0.8"}, "minimum_cell"),
        ({"minimum_cell": "", "under_heard_ratio": "0.8"}, "minimum_cell"),
        ({"minimum_cell": "5", "under_heard_ratio": "1.5"}, "under_heard_ratio"),
        ({"minimum_cell": "5", "under_heard_ratio": "0"}, "under_heard_ratio"),
        ({"minimum_cell": "5", "under_heard_ratio": "abc"}, "under_heard_ratio"),
        ({"minimum_cell": "5", "under_heard_ratio": "0.805"}, "under_heard_ratio"),
        ({"minimum_cell": "5", "under_heard_ratio": "NaN"}, "under_heard_ratio"),
    ],
)
def test_bad_values_are_refused_on_their_field_and_nothing_is_saved(client, admin_user, data, field):
    client.force_login(admin_user)
    response = client.post(URL, data)
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert b"data-error-summary" in response.content
    assert not EquitySettings.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(URL)["Location"].startswith("/accounts/login/")
    assert client.post(URL, {"minimum_cell": "9", "under_heard_ratio": "0.5"})["Location"].startswith(
        "/accounts/login/"
    )


@pytest.mark.parametrize("role", ["Staff", "Coordinator", "Liaison"])
def test_only_admins_may_change_them(client, role):
    client.force_login(UserFactory(roles=[role]))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"minimum_cell": "9", "under_heard_ratio": "0.5"}).status_code == 403
    assert not EquitySettings.objects.exists()


def test_the_service_refuses_values_out_of_range(admin_user):
    """The service checks the model's bounds too, whoever calls it."""
    with pytest.raises(ValidationError) as caught:
        equity_settings_update(actor=admin_user, minimum_cell=0, under_heard_ratio=Decimal("1.2"))
    assert set(caught.value.message_dict) == {"minimum_cell", "under_heard_ratio"}
    assert not EquitySettings.objects.exists()
    config = equity_settings_update(actor=admin_user, minimum_cell=7, under_heard_ratio=Decimal("0.6"))
    assert EquitySettings.current() == config and config.minimum_cell == 7
