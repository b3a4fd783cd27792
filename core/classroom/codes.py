"""Join codes, teacher tokens and display names.

A join code is 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L):
31**6, about 890 million codes, so with at most MAX_OPEN_CLASSES open a blind guess hits
one in about 1.8 million tries, and a session gets MAX_FAILED_JOINS tries per 5 minutes.
The teacher token is 256 random bits; only its SHA-256 is stored, and it is compared in
constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

from core.classroom.errors import ClassroomError

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
TOKEN_BYTES = 32
_SPACES = re.compile(r"\s+")


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a student typed, as a code: case, spaces and dashes do not matter."""
    return re.sub(r"[\s\-]", "", str(text)).upper()[: CODE_LENGTH * 4]


def new_teacher_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(str(token).encode("utf-8", "replace")).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    """Constant-time comparison of a presented token with the stored hash."""
    return hmac.compare_digest(token_hash(token), stored_hash)


def clean_text(text: object, limit: int, what: str) -> str:
    """Trimmed single-line text without control characters, at most `limit` characters."""
    cleaned = "".join(
        " " if unicodedata.category(char).startswith(("C", "Z")) else char for char in str(text)
    )
    cleaned = _SPACES.sub(" ", cleaned).strip()
    if not cleaned:
        raise ClassroomError(f"Type a {what} first.")
    if len(cleaned) > limit:
        raise ClassroomError(f"The {what} is {len(cleaned)} characters long; at most {limit}.")
    return cleaned


def name_key(name: str) -> str:
    """Two names that look the same to a class are the same name ('Ann', ' ann ')."""
    return unicodedata.normalize("NFKC", name).casefold()


def with_suffix(name: str, taken: set[str], limit: int) -> str:
    """`name`, or 'name (2)', 'name (3)' ... : the first not in `taken` (name_key form)."""
    if name_key(name) not in taken:
        return name
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = name[: limit - len(suffix)].rstrip() + suffix
        if name_key(candidate) not in taken:
            return candidate
        number += 1
