"""The boards pipeline's pages per role: staff read, a cohort's coordinators (and admins)
change it, another coordinator only reads it, liaisons see none of it; bad input says
what is wrong and changes nothing; the kanban moves cards and comes back; appointing
fills the seat and the vacancy; list pages keep their query counts."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements.models import Attendance, BoardApplication, Cohort, Fellow
from engagements.services import pipeline as services
from stakeholders.models import PersonDemographics, Tenure, Vacancy
from stakeholders.services.boards import term_end
from tests.engagements.factories import EngagementFactory
from tests.stakeholders.board_factories import (
    BoardFactory,
    CohortFactory,
    FellowFactory,
    SeatFactory,
    VacancyFactory,
    appoint,
)
from tests.stakeholders.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

Stage = BoardApplication.Stage
TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def pipeline(coordinator_user):
    """A three-year board with an open vacancy; a cohort coordinated by ``coordinator_user``
    with one fellow who applied for that vacancy and is interested in another board."""
    board = BoardFactory(name="Planning Commission", term_length_months=36)
    vacancy = VacancyFactory(
        seat=SeatFactory(board=board, title="Planning seat 5"),
        opens_on=TODAY,
        deadline=TODAY + datetime.timedelta(days=30),
    )
    cohort = CohortFactory(name="Fellows 2026", coordinators=[coordinator_user])
    fellow = FellowFactory(cohort=cohort, person=PersonFactory(first_name="Rosa", last_name="Delgado"))
    application = services.application_create(
        fellow=fellow,
        board=board,
        vacancy=vacancy,
        stage=Stage.APPLIED,
        on=TODAY - datetime.timedelta(days=5),
        actor=coordinator_user,
    )
    return {
        "board": board,
        "vacancy": vacancy,
        "cohort": cohort,
        "fellow": fellow,
        "application": application,
        "coordinator": coordinator_user,
    }


def login(client, user):
    client.force_login(user)
    return user


def other_coordinator():
    return UserFactory(roles=["Coordinator"])


def urls(pipeline) -> dict[str, str]:
    cohort, fellow = pipeline["cohort"], pipeline["fellow"]
    return {
        "cohort_list": reverse("boards:cohort_list"),
        "cohort_detail": reverse("boards:cohort_detail", args=[cohort.pk]),
        "pipeline": reverse("boards:cohort_pipeline", args=[cohort.pk]),
        "fellow_detail": reverse("boards:fellow_detail", args=[fellow.pk]),
    }


def change_urls(pipeline) -> dict[str, str]:
    cohort, fellow, application = pipeline["cohort"], pipeline["fellow"], pipeline["application"]
    return {
        "cohort_edit": reverse("boards:cohort_edit", args=[cohort.pk]),
        "fellow_add": reverse("boards:fellow_add", args=[cohort.pk]),
        "fellow_edit": reverse("boards:fellow_edit", args=[fellow.pk]),
        "application_create": reverse("boards:application_create", args=[fellow.pk]),
        "application_move": reverse("boards:application_move", args=[application.pk]),
    }


def change_posts(pipeline) -> dict[str, dict]:
    """A valid post for each change page."""
    return {
        "cohort_edit": {"name": "Renamed cohort", "starts_on": "2025-09-01"},
        "fellow_add": {"person": PersonFactory().pk},
        "fellow_edit": {"fellow-interests": [pipeline["board"].pk], "fellow-notes": "Prefers evening meetings"},
        "application_create": {
            "application-board": BoardFactory().pk,
            "application-stage": "interested",
            "application-on": TODAY.isoformat(),
        },
        "application_move": {"to_stage": "interviewed", "on": TODAY.isoformat()},
    }


def snapshot(pipeline) -> tuple:
    """What the change pages could alter."""
    cohort = Cohort.objects.get(pk=pipeline["cohort"].pk)
    fellow = Fellow.objects.get(pk=pipeline["fellow"].pk)
    return (
        cohort.name,
        Fellow.objects.count(),
        fellow.notes,
        sorted(fellow.interests.values_list("pk", flat=True)),
        BoardApplication.objects.count(),
        BoardApplication.objects.get(pk=pipeline["application"].pk).stage,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Who reads ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["Staff", "Coordinator", "Admin"])
def test_staff_coordinators_and_admins_read_every_cohort(client, pipeline, role):
    """Every such user reads the pages, whether or not they coordinate the cohort."""
    login(client, UserFactory(roles=[role]))
    pages = {name: client.get(url) for name, url in urls(pipeline).items()}

    assert {name: response.status_code for name, response in pages.items()} == dict.fromkeys(pages, 200)
    assert "Fellows 2026" in pages["cohort_list"].text
    assert "Rosa Delgado" in pages["cohort_detail"].text and "Rosa Delgado" in pages["pipeline"].text
    assert "Planning Commission" in pages["fellow_detail"].text


def test_liaisons_get_403_on_every_pipeline_page(client, pipeline, liaison_user):
    login(client, liaison_user)
    before = snapshot(pipeline)

    responses = [client.get(url) for url in urls(pipeline).values()]
    responses.append(client.get(reverse("boards:cohort_create")))
    responses += [client.post(change_urls(pipeline)[name], data) for name, data in change_posts(pipeline).items()]

    assert [response.status_code for response in responses] == [403] * len(responses)
    assert snapshot(pipeline) == before


def test_staff_read_but_get_403_on_every_change(client, pipeline, staff_user):
    login(client, staff_user)
    before = snapshot(pipeline)

    responses = {name: client.post(url, change_posts(pipeline)[name]) for name, url in change_urls(pipeline).items()}
    responses["cohort_create"] = client.post(
        reverse("boards:cohort_create"), {"name": "Mine", "starts_on": "2026-01-01"}
    )

    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 403)
    assert snapshot(pipeline) == before and Cohort.objects.count() == 1
    assert not client.get(urls(pipeline)["pipeline"]).context["can_manage"]


def test_a_coordinator_not_coordinating_the_cohort_gets_403_on_its_changes(client, pipeline):
    """They read the cohort but change nothing of it: every change page answers 403."""
    login(client, other_coordinator())
    before = snapshot(pipeline)

    gets = {name: client.get(url).status_code for name, url in change_urls(pipeline).items()}
    posts = {
        name: client.post(url, change_posts(pipeline)[name]).status_code for name, url in change_urls(pipeline).items()
    }

    assert gets == dict.fromkeys(gets, 403) and posts == dict.fromkeys(posts, 403)
    assert snapshot(pipeline) == before
    page = client.get(urls(pipeline)["pipeline"])
    assert not page.context["can_manage"]
    assert reverse("boards:application_move", args=[pipeline["application"].pk]) not in page.text


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_the_cohorts_coordinator_and_admins_make_every_change(client, pipeline, who):
    user = pipeline["coordinator"] if who == "coordinator" else UserFactory(roles=["Admin"])
    login(client, user)
    posts = change_posts(pipeline)

    statuses = {name: client.post(url, posts[name]).status_code for name, url in change_urls(pipeline).items()}

    assert statuses == dict.fromkeys(statuses, 302)
    cohort = Cohort.objects.get()
    fellow = Fellow.objects.get(pk=pipeline["fellow"].pk)
    assert cohort.name == "Renamed cohort"
    assert list(cohort.coordinators.all()) == [user]  # no coordinator named: the one who saved
    assert Fellow.objects.filter(cohort=cohort, person_id=posts["fellow_add"]["person"]).exists()
    assert fellow.notes == "Prefers evening meetings"
    assert BoardApplication.objects.filter(
        fellow=fellow, board_id=posts["application_create"]["application-board"]
    ).exists()
    application = BoardApplication.objects.get(pk=pipeline["application"].pk)
    assert (application.stage, application.interviewed_on) == (Stage.INTERVIEWED, TODAY)
    assert application.stage_changes.get(to_stage=Stage.INTERVIEWED).changed_by == user


@pytest.mark.parametrize("role", ["Coordinator", "Admin"])
def test_coordinators_and_admins_start_a_cohort_they_then_coordinate(client, role):
    user = login(client, UserFactory(roles=[role]))
    session = EngagementFactory()

    response = client.post(
        reverse("boards:cohort_create"),
        {"name": "Fellows 2027", "program": "CLI", "starts_on": "2027-01-15", "sessions": [session.pk]},
    )

    cohort = Cohort.objects.get()
    assert response.status_code == 302 and response.url == cohort.get_absolute_url()
    assert list(cohort.coordinators.all()) == [user] and list(cohort.sessions.all()) == [session]


def test_the_cohort_page_shows_management_links_only_to_those_who_manage_it(client, pipeline):
    login(client, pipeline["coordinator"])
    mine = client.get(urls(pipeline)["cohort_detail"])
    login(client, other_coordinator())
    theirs = client.get(urls(pipeline)["cohort_detail"])

    edit = reverse("boards:cohort_edit", args=[pipeline["cohort"].pk])
    assert mine.context["can_manage"] and edit in mine.text
    assert not theirs.context["can_manage"] and edit not in theirs.text


# --- Bad input -----------------------------------------------------------------------------


def test_a_cohort_ending_before_it_starts_is_refused_on_its_end(client, pipeline):
    login(client, pipeline["coordinator"])
    response = client.post(
        reverse("boards:cohort_create"), {"name": "Fellows 2027", "starts_on": "2027-01-15", "ends_on": "2026-12-01"}
    )
    assert response.status_code == 422 and "ends_on" in response.context["form"].errors
    response = client.post(change_urls(pipeline)["cohort_edit"], {"name": "", "starts_on": "2025-09-01"})
    assert response.status_code == 422 and "name" in response.context["form"].errors
    assert list(Cohort.objects.values_list("name", flat=True)) == ["Fellows 2026"]


def test_adding_a_person_who_is_already_a_fellow_is_refused_on_the_person(client, pipeline):
    login(client, pipeline["coordinator"])
    before = snapshot(pipeline)

    response = client.post(change_urls(pipeline)["fellow_add"], {"person": pipeline["fellow"].person_id})

    assert response.status_code == 422
    assert "already a fellow" in response.context["form"].errors["person"][0]
    assert snapshot(pipeline) == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"application-stage": "interested", "application-on": "2026-03-10"}, "board"),
        ({"application-board": "board", "application-stage": "appointed", "application-on": "2026-03-10"}, "stage"),
        ({"application-board": "board", "application-stage": "applied", "application-on": "yesterday"}, "on"),
        (
            {
                "application-board": "board",
                "application-vacancy": "other",
                "application-stage": "applied",
                "application-on": "2026-03-10",
            },
            "vacancy",
        ),
        (  # the same board and vacancy again: the service refuses it
            {
                "application-board": "board",
                "application-vacancy": "vacancy",
                "application-stage": "applied",
                "application-on": "2026-03-10",
            },
            "board",
        ),
    ],
)
def test_an_application_form_with_bad_input_says_what_is_wrong_and_adds_nothing(client, pipeline, data, field):
    login(client, pipeline["coordinator"])
    values = {"board": pipeline["board"].pk, "vacancy": pipeline["vacancy"].pk, "other": VacancyFactory().pk}
    data = {key: values.get(value, value) for key, value in data.items()}
    before = snapshot(pipeline)

    response = client.post(change_urls(pipeline)["application_create"], data)

    assert response.status_code == 422
    assert field in response.context["application_form"].errors
    assert snapshot(pipeline) == before


def test_a_fellow_form_with_an_unknown_board_is_refused(client, pipeline):
    login(client, pipeline["coordinator"])
    before = snapshot(pipeline)
    response = client.post(change_urls(pipeline)["fellow_edit"], {"fellow-interests": [999999], "fellow-notes": "x"})
    assert response.status_code == 422 and "interests" in response.context["fellow_form"].errors
    assert snapshot(pipeline) == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"to_stage": "interested", "on": "2026-03-10"}, "to_stage"),  # backwards
        ({"to_stage": "interviewed", "on": "2026-03-01"}, "on"),  # before it was applied (03-05)
        ({"to_stage": "interviewed", "on": "soon"}, "on"),
    ],
)
def test_a_move_with_bad_input_says_what_is_wrong_and_moves_nothing(client, pipeline, data, field):
    login(client, pipeline["coordinator"])
    before = snapshot(pipeline)

    response = client.post(change_urls(pipeline)["application_move"], data)

    assert response.status_code == 422 and field in response.context["form"].errors
    assert snapshot(pipeline) == before
    assert pipeline["application"].stage_changes.count() == 1


def test_a_decided_application_shows_no_move_form(client, pipeline):
    services.application_move(application=pipeline["application"], to_stage=Stage.WITHDREW, on=TODAY)
    login(client, pipeline["coordinator"])

    page = client.get(change_urls(pipeline)["application_move"])
    response = client.post(change_urls(pipeline)["application_move"], {"to_stage": "interviewed", "on": "2026-03-10"})

    assert "This application was decided" in page.text
    assert response.status_code == 422 and "to_stage" in response.context["form"].errors
    assert BoardApplication.objects.get(pk=pipeline["application"].pk).stage == Stage.WITHDREW


# --- The kanban ----------------------------------------------------------------------------


def test_a_card_moved_from_the_kanban_comes_back_to_the_kanban(client, pipeline):
    login(client, pipeline["coordinator"])
    board_url = urls(pipeline)["pipeline"]
    page = client.get(board_url)
    assert page.context["can_manage"]
    assert f'name="next" value="{board_url}"' in page.text

    response = client.post(
        change_urls(pipeline)["application_move"], {"to_stage": "interviewed", "on": "2026-03-10", "next": board_url}
    )

    assert response.status_code == 302 and response.url == board_url
    assert BoardApplication.objects.get(pk=pipeline["application"].pk).stage == Stage.INTERVIEWED
    assert messages_of(response) == ["Rosa Delgado: Interviewed."]
    cards = client.get(board_url).context["columns"]
    assert [card["pk"] for column in cards if column["stage"] == "interviewed" for card in column["cards"]] == [
        pipeline["application"].pk
    ]


def test_a_move_never_redirects_off_the_site(client, pipeline):
    login(client, pipeline["coordinator"])
    response = client.post(
        change_urls(pipeline)["application_move"],
        {"to_stage": "interviewed", "on": "2026-03-10", "next": "https://evil.example/phish"},
    )
    assert response.status_code == 302 and response.url == pipeline["fellow"].get_absolute_url()


# --- Appointing ------------------------------------------------------------------------------


def test_appointing_without_a_vacancy_shows_the_error_on_the_form(client, pipeline):
    """An application with no vacancy, moved to appointed with none chosen: the move form
    says to choose one, on its vacancy field; nothing is appointed."""
    application = services.application_create(
        fellow=pipeline["fellow"], board=BoardFactory(), stage=Stage.APPLIED, on=TODAY
    )
    login(client, pipeline["coordinator"])
    url = reverse("boards:application_move", args=[application.pk])

    response = client.post(url, {"to_stage": "appointed", "on": "2026-03-10"})

    assert response.status_code == 422
    assert response.context["form"].errors["vacancy"] == ["Choose the vacancy the fellow is appointed to."]
    assert "Choose the vacancy the fellow is appointed to." in response.text
    assert BoardApplication.objects.get(pk=application.pk).stage == Stage.APPLIED
    assert not Tenure.objects.exists()


def test_appointing_fills_the_seat_for_one_term_and_the_vacancy(client, pipeline):
    login(client, pipeline["coordinator"])
    board_url = urls(pipeline)["pipeline"]

    response = client.post(
        change_urls(pipeline)["application_move"],
        {"to_stage": "appointed", "on": "2026-03-10", "note": "Confirmed by council", "next": board_url},
    )

    assert response.status_code == 302 and response.url == board_url
    tenure = Tenure.objects.get(person=pipeline["fellow"].person)
    assert (tenure.position, tenure.start_date, tenure.actual_end_date) == (pipeline["vacancy"].seat, TODAY, None)
    assert tenure.planned_end_date == term_end(TODAY, 36) == datetime.date(2029, 3, 9)
    vacancy = Vacancy.objects.get(pk=pipeline["vacancy"].pk)
    assert (vacancy.status, vacancy.filled_by) == (Vacancy.Status.FILLED, tenure)
    application = BoardApplication.objects.get(pk=pipeline["application"].pk)
    assert (application.stage, application.tenure, application.decided_on) == (Stage.APPOINTED, tenure, TODAY)
    [message] = messages_of(response)
    # reminded 120 days (the default lead time) before the end
    assert "Planning seat 5" in message and "2029-03-09" in message and "2028-11-09" in message
    rows = client.get(board_url).context["rows"]
    assert [(row["seat_title"], row["planned_end"], row["reminder_on"]) for row in rows] == [
        ("Planning seat 5", datetime.date(2029, 3, 9), datetime.date(2028, 11, 9))
    ]
    board_page = client.get(pipeline["board"].get_absolute_url())
    assert "Rosa Delgado" in board_page.text and "filled by Rosa Delgado" in board_page.text


def test_appointing_an_application_without_a_vacancy_to_the_one_chosen(client, pipeline):
    application = services.application_create(
        fellow=FellowFactory(cohort=pipeline["cohort"]), board=pipeline["board"], stage=Stage.APPLIED, on=TODAY
    )
    login(client, pipeline["coordinator"])
    url = reverse("boards:application_move", args=[application.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["vacancy"].queryset) == [pipeline["vacancy"]]

    response = client.post(url, {"to_stage": "appointed", "on": "2026-03-10", "vacancy": pipeline["vacancy"].pk})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.vacancy == pipeline["vacancy"] and application.tenure.position == pipeline["vacancy"].seat
    assert Vacancy.objects.get(pk=pipeline["vacancy"].pk).status == Vacancy.Status.FILLED


def test_appointing_to_a_vacancy_filled_meanwhile_says_so_on_the_form(client, pipeline):
    rival = services.application_create(
        fellow=FellowFactory(cohort=pipeline["cohort"]),
        board=pipeline["board"],
        vacancy=pipeline["vacancy"],
        stage=Stage.APPLIED,
        on=TODAY,
    )
    services.application_move(application=rival, to_stage=Stage.APPOINTED, on=TODAY)
    login(client, pipeline["coordinator"])

    response = client.post(change_urls(pipeline)["application_move"], {"to_stage": "appointed", "on": "2026-03-10"})

    assert response.status_code == 422
    assert "This vacancy is no longer open." in str(response.context["form"].errors)
    assert BoardApplication.objects.get(pk=pipeline["application"].pk).stage == Stage.APPLIED
    assert Tenure.objects.count() == 1


# --- Query counts ------------------------------------------------------------------------------


def _populate_cohort(cohort, count: int) -> None:
    """``count`` fellows, each with consented demographics, interests, an attended session
    and applications at several stages; every third appointed."""
    session = EngagementFactory()
    cohort.sessions.add(session)
    for index in range(count):
        board = BoardFactory(term_length_months=24)
        fellow = FellowFactory(cohort=cohort, interests=[board, BoardFactory()])
        PersonDemographics.objects.create(person=fellow.person, consent_recorded_at=timezone.now(), age_band="25_34")
        Attendance.objects.create(engagement=session, person=fellow.person)
        services.application_create(fellow=fellow, board=BoardFactory(), on=TODAY)
        if index % 3 == 0:
            appoint(fellow, board, datetime.date(2025, 1, 15))
        else:
            vacancy = VacancyFactory(seat=SeatFactory(board=board))
            services.application_create(fellow=fellow, board=board, vacancy=vacancy, stage=Stage.APPLIED, on=TODAY)


def _same_queries(client, url, grow, django_assert_num_queries):
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_the_cohort_list_takes_the_same_queries_for_few_and_many_cohorts(client, staff_user, django_assert_num_queries):
    login(client, staff_user)
    for _ in range(2):
        _populate_cohort(CohortFactory(), 2)

    def grow():
        for _ in range(8):
            _populate_cohort(CohortFactory(), 3)

    response = _same_queries(client, reverse("boards:cohort_list"), grow, django_assert_num_queries)
    rows = response.context["page"].object_list
    assert len(rows) == 10
    assert sorted(row["conversion"].fellows for row in rows) == [2, 2] + [3] * 8


def test_the_cohort_page_takes_the_same_queries_for_few_and_many_fellows(client, pipeline, django_assert_num_queries):
    login(client, pipeline["coordinator"])
    cohort = pipeline["cohort"]
    _populate_cohort(cohort, 2)

    response = _same_queries(
        client, urls(pipeline)["cohort_detail"], lambda: _populate_cohort(cohort, 12), django_assert_num_queries
    )
    assert len(response.context["fellows"]) == 15
    assert response.context["conversion"].placed == 1 + 4


def test_the_pipeline_board_takes_the_same_queries_for_few_and_many_applications(
    client, pipeline, django_assert_num_queries
):
    login(client, pipeline["coordinator"])
    cohort = pipeline["cohort"]
    _populate_cohort(cohort, 2)

    response = _same_queries(
        client, urls(pipeline)["pipeline"], lambda: _populate_cohort(cohort, 12), django_assert_num_queries
    )
    assert len(response.context["rows"]) == 1 + 14 * 2
    appointed = next(column for column in response.context["columns"] if column["stage"] == "appointed")
    assert len(appointed["cards"]) == 5


def test_the_fellow_page_takes_the_same_queries_for_few_and_many_applications(
    client, pipeline, django_assert_num_queries
):
    login(client, pipeline["coordinator"])
    fellow = pipeline["fellow"]

    def grow():
        for _ in range(6):
            application = services.application_create(
                fellow=fellow, board=BoardFactory(), stage=Stage.APPLIED, on=TODAY, actor=pipeline["coordinator"]
            )
            services.application_move(
                application=application, to_stage=Stage.INTERVIEWED, on=TODAY, actor=pipeline["coordinator"]
            )

    response = _same_queries(client, urls(pipeline)["fellow_detail"], grow, django_assert_num_queries)
    assert len(response.context["applications"]) == 7
