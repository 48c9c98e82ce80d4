"""Engagements: what happened, what was promised, and the follow-ups that keep it moving.

One module per part of the domain; each is imported here so Django finds its models.
"""

from .engagements import (  # noqa: F401
    Attendance,
    AttendanceBreakdown,
    BreakdownCategory,
    BreakdownOption,
    CalendarFeed,
    Commitment,
    CommitmentStatusChange,
    Engagement,
    InputItem,
    LoopBack,
    Theme,
)
from .equity import (  # noqa: E402,F401
    BaselineRow,
    CensusBaseline,
    EquityAssessment,
    EquityAssessmentStatusChange,
    EquitySettings,
)
from .followups import DigestEmail, DigestPreference, FollowUp, Handover, ReminderSettings  # noqa: E402,F401
from .pipeline import ApplicationStageChange, BoardApplication, Cohort, Fellow  # noqa: E402,F401
from .stipends import PaymentEngagement  # noqa: E402,F401
