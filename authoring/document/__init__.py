"""The agreement model: terms + clause instances, canonical JSON, hashing. No Flask, no database."""
from .canonical import canonical_json, content_hash, sha256_hex, token_hash
from .model import ClauseInstance, Document, DocumentError, Section, TermSlot

__all__ = ["ClauseInstance", "Document", "DocumentError", "Section", "TermSlot", "canonical_json", "content_hash", "sha256_hex", "token_hash"]
