"""Typed ORM rows, one module per noun."""
from .agreement import ROLES, SIDES, STATUSES, Agreement, Invitation, Membership
from .audit import AuditEvent
from .base import Base, utcnow
from .health import HealthAcknowledgement
from .revision import Blob, Draft, Revision
from .user import LoginFailure, User, UserSession

__all__ = [
    "ROLES", "SIDES", "STATUSES", "Agreement", "AuditEvent", "Base", "Blob", "Draft",
    "HealthAcknowledgement", "Invitation", "LoginFailure", "Membership", "Revision", "User", "UserSession", "utcnow",
]
