"""Passwords hashed with the standard library's scrypt, and HTTP Basic login."""

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, HTTPException
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from sqlmodel import Session, select

from .models import User

# --8<-- [start:hashing]
SCRYPT = {"n": 2**14, "r": 8, "p": 1}  # OWASP's minimum for scrypt


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, hashed: str) -> bool:
    _, salt, digest = hashed.split("$")
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), **SCRYPT)
    return hmac.compare_digest(candidate.hex(), digest)


# --8<-- [end:hashing]


basic = HTTPBasic()


def user_dependency(get_session):  # type: ignore[no-untyped-def]
    """``current_user`` for a session dependency: the user who sent valid credentials."""

    # --8<-- [start:current_user]
    def current_user(
        credentials: Annotated[HTTPBasicCredentials, Depends(basic)],
        session: Annotated[Session, Depends(get_session)],
    ) -> User:
        user = session.exec(select(User).where(User.username == credentials.username)).first()
        if user is None or not verify_password(credentials.password, user.hashed_password):
            raise HTTPException(401, "Wrong username or password", headers={"WWW-Authenticate": "Basic"})
        return user

    # --8<-- [end:current_user]
    return current_user
