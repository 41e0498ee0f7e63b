"""Password hashing with argon2id."""
from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import CHEAPEST
from flask import current_app

_default = PasswordHasher()
_cheap = PasswordHasher.from_parameters(CHEAPEST)  # tests only: hashing at full cost would dominate them


def _hasher() -> PasswordHasher:
    return _cheap if current_app.config.get("PASSWORD_HASH_PROFILE") == "cheapest" else _default


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    """A hash of the current profile's cost, made when first needed (not at import: every process and CLI
    command would pay a full argon2 hash on start)."""
    return _hasher().hash("not a real password")


def verify_dummy(password: str) -> None:
    """Verified against when the account does not exist, so timing does not reveal which e-mails are registered."""
    verify_password(_dummy_hash(), password)
