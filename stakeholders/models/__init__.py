"""Stakeholders: who is out there. One module per part of the domain."""

from .accounts import TimeStampedModel, User, UserSession
from .boards import Board, Vacancy
from .government import Department, Election, Position, Tenure
from .people import (
    Affiliation,
    Language,
    Neighborhood,
    Organization,
    Person,
    PersonDemographics,
    PersonSearchEntry,
    Tag,
)
from .privacy import ConsentRecord, ErasureCertificate, ErasureRequest
from .relationships import Relationship
from .retention import RetentionRun, RetentionSettings
from .security import SecurityEvent
from .stipends import FundingSource, LiaisonProfile, StipendAgreement, StipendPayment
from .tokens import ApiToken

__all__ = [
    "Affiliation",
    "ApiToken",
    "Board",
    "ConsentRecord",
    "Department",
    "ErasureCertificate",
    "ErasureRequest",
    "Election",
    "FundingSource",
    "Language",
    "LiaisonProfile",
    "Neighborhood",
    "Organization",
    "Person",
    "PersonDemographics",
    "PersonSearchEntry",
    "Position",
    "Relationship",
    "RetentionRun",
    "RetentionSettings",
    "SecurityEvent",
    "StipendAgreement",
    "StipendPayment",
    "Tag",
    "Tenure",
    "TimeStampedModel",
    "User",
    "UserSession",
    "Vacancy",
]
