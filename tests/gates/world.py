"""One of each record, owned by known users, for requests that need real objects.

URL kwargs are found from the URL name: ``<namespace>:<thing>_<view>`` with a
``pk`` takes the pk of the world's ``<thing>`` (see RECORD_FOR_PREFIX); other
kwargs are listed in EXTRA_KWARGS. A pattern the world cannot serve fails the
permission-matrix test with a message saying to add it here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from coalition.models import Agreement, MemberResource, WorkingGroup
from engagements.models import CalendarFeed, Engagement, LoopBack
from engagements.models.engagements import new_public_token
from engagements.services.assessments import assessment_create
from engagements.services.pipeline import application_create, cohort_create, fellow_add
from stakeholders.models import ErasureCertificate, ErasureRequest, StipendAgreement, StipendPayment
from stakeholders.services.boards import board_create, vacancy_open
from stakeholders.services.tokens import api_token_create
from tests.coalition.factories import AllyStanceFactory, CoalitionFactory, GoalFactory, MembershipFactory
from tests.engagements.factories import CommitmentFactory, EngagementFactory
from tests.engagements.followup_factories import FollowUpFactory
from tests.stakeholders.factories import (
    AffiliationFactory,
    NeighborhoodFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)
from tests.stakeholders.government_factories import (
    DepartmentFactory,
    ElectionFactory,
    PositionFactory,
    RelationshipFactory,
    TenureFactory,
)
from tests.stakeholders.stipend_factories import (
    AgreementFactory,
    FundingSourceFactory,
    LiaisonProfileFactory,
    PaymentFactory,
)

# URL-name prefix (after the namespace) -> attribute of World holding the record.
RECORD_FOR_PREFIX = {
    "user": "target_user",
    "person": "person",
    "affiliation": "person",
    "organization": "organization",
    "neighborhood": "neighborhood",
    "department": "department",
    "position": "position",
    "election": "election",
    "relationship": "relationship",
    # Erasure (issue 16): a certificate, and a request its own requester cannot approve.
    "erasure": "erasure_certificate",
    "stakeholders:erasure_request_approve": "erasure_request",
    # Engagements and follow-ups (issues 4 and 6)
    "engagements:detail": "engagement",
    "engagements:edit": "engagement",
    "engagements:ics": "engagement",
    "engagements:publish": "engagement",
    "engagements:unpublish": "engagement",
    "engagements:public_summary": "engagement",
    "engagements:resume": "engagement_draft",
    "engagements:commitment_create": "engagement",
    "engagements:commitment": "commitment",
    "engagements:followup": "followup",
    # Equity impact assessments (issue 14): writing one needs a commitment without one.
    "equity:assessment_create": "commitment",
    "equity:assessment": "assessment",
    # Boards and the fellows pipeline (issue 17)
    "boards:board": "board",
    "boards:seats_add": "board",
    "boards:vacancy_create": "board",
    "boards:vacancy_cancel": "vacancy",
    "boards:cohort": "cohort",
    "boards:fellow_add": "cohort",
    "boards:fellow": "fellow",
    "boards:application_create": "fellow",
    "boards:application_move": "application",
    # Coalitions (issue 5)
    "coalition:coalition": "coalition",
    "coalition:detail": "coalition",
    "coalition:edit": "coalition",
    "coalition:members": "coalition",
    "coalition:membership": "coalition",
    "coalition:resource": "coalition",
    "coalition:goals": "coalition",
    "coalition:working": "coalition",
    "coalition:agreements": "coalition",
    "coalition:ally": "coalition",
    # Stipends (issue 7)
    "funding": "funding_source",
    "liaison": "liaison_profile",
    "agreement": "stipend_agreement",
    "stakeholders:agreement_sign_off": "stipend_agreement_draft",
    "stakeholders:agreement_activate": "stipend_agreement_draft",
    "payment": "payment",
    "stakeholders:payment_approve": "payment_submitted",
    "stakeholders:payment_reject": "payment_submitted",
    "stakeholders:payment_mark_paid": "payment_approved",
    # REST API (issue 15): router names are <basename>-detail
    "stakeholders:api_token_revoke": "api_token",
    "api:person-detail": "person",
    "api:organization-detail": "organization",
    "api:department-detail": "department",
    "api:position-detail": "position",
    "api:tenure-detail": "tenure",
    "api:election-detail": "election",
    "api:relationship-detail": "relationship",
    "api:relationship-end": "relationship",
    "api:coalition-detail": "coalition",
    "api:coalition-stances": "coalition",
    "api:engagement-detail": "engagement",
    "api:commitment-detail": "commitment",
    "api:commitment-status": "commitment",
    "api:followup-detail": "admin_followup",
    "api:followup-status": "admin_followup",
    "api:stipend-payment-detail": "payment",
}


@dataclass
class World:
    users: dict[str, object] = field(default_factory=dict)  # role -> user (None for anonymous)
    others: dict[str, object] = field(default_factory=dict)  # role -> a second user of that role
    target_user: object = None
    api_token: object = None  # target_user's: nobody else may revoke it
    person: object = None
    organization: object = None
    affiliation: object = None
    neighborhood: object = None
    department: object = None
    position: object = None
    tenure: object = None
    election: object = None
    relationship: object = None
    erasure_certificate: object = None
    erasure_request: object = None  # asked for by users["admin"], so that they cannot approve it
    # Engagements and follow-ups
    engagement: object = None  # logged by users["staff"], published, facilitated by no liaison
    engagement_draft: object = None  # users["staff"]'s unfinished quick log
    commitment: object = None  # has no equity impact assessment
    assessed_commitment: object = None  # on the same engagement, with ``assessment``
    assessment: object = None  # a draft by users["coordinator"]
    loop_back: object = None
    calendar_feed: object = None  # users["staff"]'s feed
    followup: object = None  # users["staff"]'s
    admin_followup: object = None  # users["admin"]'s: the API's writes are tried with an admin's token
    # Boards and the fellows pipeline (issue 17)
    board: object = None  # "Gate board Larkspurne", three seats
    vacancy: object = None  # open, on the board's first seat
    cohort: object = None  # coordinated by users["coordinator"]
    fellow: object = None  # world.person, in the cohort
    application: object = None  # the fellow's, applied for the vacancy
    # Coalitions
    coalition: object = None  # coordinated by users["coordinator"]; no liaison is a member
    membership: object = None
    resource: object = None
    goal: object = None
    working_group: object = None
    coalition_agreement: object = None  # with an uploaded document
    ally: object = None
    # Stipends: all for another liaison person, not users["liaison"]'s
    own_liaison_profile: object = None  # users["liaison"]'s own profile (no agreement)
    liaison_profile: object = None
    funding_source: object = None
    stipend_agreement: object = None  # active
    stipend_agreement_draft: object = None  # not signed off yet
    payment: object = None  # draft
    payment_submitted: object = None  # created by others["admin"]: users["admin"] may approve it
    payment_approved: object = None

    def extra_kwargs(self) -> dict[str, dict]:
        """Kwargs for patterns that need more than a pk."""
        return {
            "password_reset_confirm": {
                "uidb64": urlsafe_base64_encode(force_bytes(self.target_user.pk)),
                "token": default_token_generator.make_token(self.target_user),
            },
            "stakeholders:affiliation_end": {"pk": self.person.pk, "affiliation_pk": self.affiliation.pk},
            "stakeholders:import_upload": {"kind": "people"},
            "stakeholders:import_template": {"kind": "people"},
            "stakeholders:import_preview": {"kind": "people"},
            "engagements:quick_log_row": {"kind": "input"},
            "equity:dashboard_csv": {"section": "reach"},
            "engagements:attendee_chip": {"pk": self.person.pk},
            "engagements:ical_feed": {"token": self.calendar_feed.token},
            "engagements:public": {"token": self.engagement.public_token},
            "engagements:person_panel": {"pk": self.person.pk},
            "engagements:organization_panel": {"pk": self.organization.pk},
            "engagements:followup_create": {"model_label": "stakeholders.person", "object_pk": self.person.pk},
            "coalition:person_panel": {"pk": self.person.pk},
            "coalition:organization_panel": {"pk": self.organization.pk},
            "coalition:membership_end": {"pk": self.coalition.pk, "membership_pk": self.membership.pk},
            "coalition:goal_detail": {"pk": self.coalition.pk, "goal_pk": self.goal.pk},
            "coalition:agreement_document": {"pk": self.coalition.pk, "agreement_pk": self.coalition_agreement.pk},
            "coalition:ally_detail": {"pk": self.coalition.pk, "ally_pk": self.ally.pk},
            "api:coalition-stance-detail": {"pk": self.coalition.pk, "stance_id": self.ally.pk},
            "stakeholders:statement": {"liaison_pk": self.liaison_profile.pk, "year": 2026},
        }

    @staticmethod
    def attribute_for(name: str) -> str | None:
        """The World attribute holding the record of pattern ``name``: by full name, then
        by ``namespace:prefix``, then by prefix."""
        namespace, _sep, short = name.rpartition(":")
        prefix = short.split("_")[0]
        for key in (name, f"{namespace}:{prefix}", prefix):
            if key in RECORD_FOR_PREFIX:
                return RECORD_FOR_PREFIX[key]
        return None

    def kwargs_for(self, name: str, route_kwargs: list[str]) -> dict:
        """URL kwargs for pattern ``name``: real records from this world."""
        extra = self.extra_kwargs()
        if name in extra:
            return extra[name]
        if not route_kwargs:
            return {}
        if route_kwargs == ["pk"]:
            attribute = self.attribute_for(name)
            if attribute is not None:
                return {"pk": getattr(self, attribute).pk}
        raise LookupError(f"No record for {name} {route_kwargs}: add it to tests/gates/world.py")


def build_world() -> World:
    world = World()
    world.users["anonymous"] = None
    for role in ("Staff", "Coordinator", "Admin", "Liaison"):
        key = role.lower()
        world.users[key] = UserFactory(roles=[role], is_staff=role == "Admin")
        world.others[key] = UserFactory(roles=[role], is_staff=role == "Admin")
    world.target_user = UserFactory(roles=["Staff"])
    world.api_token, _token = api_token_create(user=world.target_user, name="Gate token")
    # The liaison is a person too; the world's person is not one they work with.
    PersonFactory(user=world.users["liaison"], first_name="Lia")
    staff = world.users["staff"]
    world.neighborhood = NeighborhoodFactory()
    world.organization = OrganizationFactory(created_by=staff, name="Gate organization Harrowgate")
    world.person = PersonFactory(
        created_by=staff, neighborhood=world.neighborhood, first_name="Gatewood", last_name="Pemberquist"
    )
    world.affiliation = AffiliationFactory(person=world.person, organization=world.organization)
    world.department = DepartmentFactory()
    world.position = PositionFactory(department=world.department)
    world.tenure = TenureFactory(position=world.position, person=world.person)
    world.election = ElectionFactory(positions=[world.position])
    world.relationship = RelationshipFactory(person=world.person, owner=world.users["coordinator"])
    world.erasure_certificate = ErasureCertificate.objects.create(
        person_pk=987_654, erased_by=world.users["admin"], reason="Gate erasure Thistlewood", what={"person": 1}
    )
    world.erasure_request = ErasureRequest.objects.create(
        person=PersonFactory(first_name="Gate", last_name="Erasable"),
        requested_by=world.users["admin"],
        reason="Gate request",
    )
    _engagements(world)
    _coalitions(world)
    _boards(world)
    _stipends(world)
    return world


def _engagements(world: World) -> None:
    staff = world.users["staff"]
    world.engagement = EngagementFactory(
        title="Gate engagement Quillfeather",
        created_by=staff,
        neighborhood=world.neighborhood,
        is_published=True,
        public_token=new_public_token(),
    )
    world.engagement.host_organizations.add(world.organization)
    world.engagement.attendances.create(person=world.person)
    world.engagement_draft = EngagementFactory(
        title="Gate draft Marrowbeck", created_by=staff, status=Engagement.Status.DRAFT, neighborhood=world.neighborhood
    )
    world.commitment = CommitmentFactory(
        engagement=world.engagement,
        description="Gate commitment Tallowmere",
        owner=world.users["coordinator"],
        department=world.department,
    )
    world.loop_back = LoopBack.objects.create(
        commitment=world.commitment, date=datetime.date(2026, 1, 15), method=LoopBack.Method.EMAIL, recorded_by=staff
    )
    world.assessed_commitment = CommitmentFactory(
        engagement=world.engagement,
        description="Gate commitment Wrenfield",
        owner=world.users["coordinator"],
        department=world.department,
    )
    world.assessment = assessment_create(
        actor=world.users["coordinator"],
        commitment=world.assessed_commitment,
        decision="Gate assessment Brackenholt",
        populations_affected="Gate populations Sallowmere",
    )
    world.calendar_feed = CalendarFeed.objects.create(user=staff)
    world.followup = FollowUpFactory(user=staff, title="Gate follow-up Brindlecombe", object_id=world.person.pk)
    world.admin_followup = FollowUpFactory(user=world.users["admin"], object_id=world.person.pk)


def _boards(world: World) -> None:
    today = timezone.localdate()
    coordinator = world.users["coordinator"]
    world.board = board_create(name="Gate board Larkspurne", department=world.department, seats=3, actor=coordinator)
    seat = world.board.seats.order_by("pk").first()
    world.vacancy = vacancy_open(seat=seat, opens_on=today, deadline=today + datetime.timedelta(days=30))
    world.cohort = cohort_create(
        actor=coordinator, name="Gate cohort Fennimore", starts_on=today, coordinators=[coordinator]
    )
    world.fellow = fellow_add(cohort=world.cohort, person=world.person, interests=[world.board])
    world.application = application_create(
        fellow=world.fellow, board=world.board, vacancy=world.vacancy, stage="applied", on=today, actor=coordinator
    )


def _coalitions(world: World) -> None:
    world.coalition = CoalitionFactory(name="Gate coalition Vesperholm", coordinators=[world.users["coordinator"]])
    world.membership = MembershipFactory(coalition=world.coalition, organization=world.organization)
    world.resource = MemberResource.objects.create(membership=world.membership, kind=MemberResource.Kind.DATA)
    world.goal = GoalFactory(coalition=world.coalition, metric="Gate goal Ossifrage")
    world.working_group = WorkingGroup.objects.create(coalition=world.coalition, name="Gate group Lanternwick")
    world.coalition_agreement = Agreement.objects.create(
        coalition=world.coalition,
        title="Gate agreement Cobblethorn",
        document=ContentFile(b"Gate agreement Cobblethorn: the signed text.", name="gate-mou.txt"),
    )
    world.ally = AllyStanceFactory(coalition=world.coalition, person=world.person, owner=world.users["coordinator"])


def _stipends(world: World) -> None:
    admin, other_admin = world.users["admin"], world.others["admin"]
    liaison_person = PersonFactory(first_name="Gate", last_name="Liaison Rookwarden")
    world.own_liaison_profile = LiaisonProfileFactory(person=world.users["liaison"].person)
    world.liaison_profile = LiaisonProfileFactory(person=liaison_person, payee_reference="VND-770077")
    world.funding_source = FundingSourceFactory(name="Gate fund Saltmarsh", department=world.department)
    world.stipend_agreement = AgreementFactory(
        liaison=world.liaison_profile, funding_source=world.funding_source, created_by=admin
    )
    world.stipend_agreement_draft = AgreementFactory(
        liaison=world.liaison_profile,
        funding_source=world.funding_source,
        created_by=admin,
        status=StipendAgreement.Status.DRAFT,
        signed_off_by=None,
        signed_off_at=None,
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    world.payment = PaymentFactory(agreement=world.stipend_agreement, created_by=admin)
    world.payment_submitted = PaymentFactory(
        agreement=world.stipend_agreement,
        created_by=other_admin,
        status=StipendPayment.Status.SUBMITTED,
        submitted_by=other_admin,
        submitted_at=timezone.now(),
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 4, 30),
    )
    world.payment_approved = PaymentFactory(
        agreement=world.stipend_agreement,
        created_by=other_admin,
        status=StipendPayment.Status.APPROVED,
        submitted_by=other_admin,
        submitted_at=timezone.now(),
        approved_by=admin,
        approved_at=timezone.now(),
        quantity=Decimal("1.00"),
        period_start=datetime.date(2026, 5, 1),
        period_end=datetime.date(2026, 5, 31),
    )
