"""Typed ORM rows, one module per noun."""
from .api_token import TOKEN_SCOPES, ApiRequestCount, ApiToken, ApiTokenAgreement, IdempotencyKey
from .agreement import ROLES, SIDES, STATUSES, Agreement, Invitation, Membership
from .audit import AuditCheckpoint, AuditEvent, AuditHead
from .base import Base, utcnow
from .dispute import DISPUTE_STATUSES, Dispute, DisputeMessage
from .health import HealthAcknowledgement
from .incident import Incident, Outage
from .issued import IssuedDocument
from .lifecycle import AMENDMENT_STATUSES, Amendment, ReminderSent, Review
from .negotiation import PROPOSAL_KINDS, PROPOSAL_STATUSES, Comment, Proposal
from .outbox import OutboxMessage
from .revision import Blob, Draft, Revision
from .signature import Signature
from .webhook import WebhookDelivery, WebhookEndpoint
from .word_upload import WordUpload
from .user import EmailConfirmation, LoginFailure, User, UserSession

__all__ = [
    "AMENDMENT_STATUSES", "Amendment", "ReminderSent", "Review", "PROPOSAL_KINDS", "PROPOSAL_STATUSES", "ROLES", "SIDES",
    "STATUSES", "Agreement", "ApiRequestCount", "ApiToken", "ApiTokenAgreement", "AuditCheckpoint", "AuditEvent",
    "AuditHead", "Base", "Blob", "Comment", "DISPUTE_STATUSES", "Dispute", "DisputeMessage", "Draft", "EmailConfirmation", "HealthAcknowledgement", "IdempotencyKey",
    "Incident", "Invitation", "IssuedDocument", "LoginFailure", "Membership", "OutboxMessage", "Outage", "Proposal",
    "Revision", "Signature", "TOKEN_SCOPES", "User", "UserSession", "WebhookDelivery", "WebhookEndpoint", "WordUpload",
    "utcnow",
]
