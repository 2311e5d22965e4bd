"""Values read once per request: a page asks for the progress settings in every part it computes.

`RequestMemoMiddleware` opens a memo for each request and drops it when the response is made;
`request_memo(key, load)` answers from it (or loads and keeps), and outside a request (commands,
the shell, tests calling selectors directly) it simply loads. `forget(key)` drops a value a write
in the same request has changed.
"""

import copy
from collections.abc import Callable
from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def request_memo(key: str, load: Callable):
    """`load()` once per request; each caller gets its own shallow copy, so a form bound to the value
    (and left half-changed by invalid input) cannot change what the rest of the request reads."""
    memo = _memo.get()
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return copy.copy(memo[key])


def forget(key: str) -> None:
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)
