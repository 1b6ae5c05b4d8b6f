"""Canonical JSON and the two hashes every record cites: one place, low in the house.

Canonical JSON: sorted keys, no spaces, UTF-8 kept as is, NaN and Infinity refused (they have no
canonical form). Anyone can reproduce it in a few lines of any language.

- result hash = SHA-256 of the canonical JSON of a result (`Result.to_json_dict()`);
- sheet digest = SHA-256 of that canonical JSON followed by the journal head it cites (the hash of the
  journal event holding the result; empty for a contest file, which has no journal). Printed on every
  result sheet and carried in its QR code.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

# one encoder, made once: json.dumps with options builds a new one on every call (measurable at 100k events)
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_json(value: Any) -> str:
    return _CANONICAL.encode(value)


def result_hash_of(result_dict: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(result_dict).encode("utf-8")).hexdigest()


def sheet_digest_of(result_dict: dict[str, Any], head: str = "") -> str:
    return hashlib.sha256((canonical_json(result_dict) + head).encode("utf-8")).hexdigest()
