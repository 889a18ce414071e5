"""Check that an HTTP interaction really comes from Discord: Ed25519 over timestamp + body.

Discord signs every interaction it POSTs with the application's key and rejects endpoints that
accept bad signatures, so this check is not optional. PyNaCl (libsodium) does the cryptography.
"""

from __future__ import annotations

import time

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

MAX_CLOCK_SKEW_S = 300
"""A request signed longer ago than this is refused, so a captured request cannot be replayed
much later."""


class SignatureRejected(Exception):
    """The request is not a fresh, correctly signed Discord interaction."""


def load_public_key(hex_key: str) -> VerifyKey:
    """The application's public key as shown in the Developer Portal (64 hex characters)."""
    try:
        raw = bytes.fromhex(hex_key.strip())
    except ValueError:
        raise ValueError("the public key must be 64 hexadecimal characters") from None
    if len(raw) != 32:
        raise ValueError("the public key must be 64 hexadecimal characters (32 bytes)")
    return VerifyKey(raw)


def verify_request(
    key: VerifyKey,
    signature_hex: str | None,
    timestamp: str | None,
    body: bytes,
    *,
    now: float | None = None,
) -> None:
    """Raise SignatureRejected unless the signature matches and the timestamp is fresh."""
    if not signature_hex or not timestamp:
        raise SignatureRejected("missing signature headers")
    try:
        signed_at = int(timestamp)
        signature = bytes.fromhex(signature_hex)
    except ValueError:
        raise SignatureRejected("malformed signature headers") from None
    current = time.time() if now is None else now
    if abs(current - signed_at) > MAX_CLOCK_SKEW_S:
        raise SignatureRejected("stale timestamp")
    try:
        key.verify(timestamp.encode() + body, signature)
    except (BadSignatureError, ValueError):
        raise SignatureRejected("bad signature") from None
