"""Stakeholders: who is out there. One module per part of the domain."""

from .accounts import TimeStampedModel, User, UserSession
from .government import Department, Election, Position, Tenure
from .people import Affiliation, Language, Neighborhood, Organization, Person, PersonDemographics, Tag
from .relationships import Relationship
from .security import SecurityEvent

__all__ = [
    "Affiliation",
    "Department",
    "Election",
    "Language",
    "Neighborhood",
    "Organization",
    "Person",
    "PersonDemographics",
    "Position",
    "Relationship",
    "SecurityEvent",
    "Tag",
    "Tenure",
    "TimeStampedModel",
    "User",
    "UserSession",
]
