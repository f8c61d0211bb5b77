"""Schemathesis hooks for .ci/contract.

An `Idempotency-Key` names one request: the API answers a key reused with a different request
with 422 `idempotency_conflict` (Stripe semantics), which is right, but generated keys repeat
(the generator likes short values such as "0"). A client makes a new key per request, so each
valid generated key is made unique here; malformed keys (negative tests) are left as drawn.
"""

import re
import uuid

import schemathesis

VALID_KEY = re.compile(r"^[!-~]{1,255}$")


@schemathesis.hook
def before_call(context, case, kwargs):
    # Negative cases are left alone: editing them makes schemathesis revalidate the case, and a
    # 422 `idempotency_conflict` is a rejection there anyway.
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return
    headers = case.headers or {}
    for name in list(headers):
        value = headers[name]
        if name.lower() == "idempotency-key" and isinstance(value, str) and VALID_KEY.match(value):
            headers[name] = str(uuid.uuid4())
