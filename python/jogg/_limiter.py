"""A POST limiter store of the caller's own (jogg_client_new_with_post_limiter): the protocol a
store follows, the slot it is given, and the C callbacks that reach it."""

import math
import threading
from dataclasses import dataclass
from typing import Any, Callable, Optional, Protocol

from . import _library


@dataclass(frozen=True)
class PostSlot:
    """One POST's slot, as a PostSlotStore sees it."""

    id: str
    """Unique across processes and hosts."""
    key_id: str
    """Which shared count: 32 hex digits, a hash of the base URL and the API key (never the key
    itself). Clients with the same key and base URL share one count."""
    limit: int
    """How many slots of key_id may be held at once (the config's post_limit)."""
    hold_ms: int
    """How long the slot is held from now, in ms: in acquire its lease (request timeout + window
    + margin, in case its answer is never reported), in release the window + margin."""


class PostSlotStore(Protocol):
    """A store of POST slots of your own (a database, a service of yours) that several clients
    share, in any process on any host whose store shares its state: Client(config,
    post_limiter=store). Its methods are called from whichever thread makes a POST, possibly
    several at once: make them thread-safe. They must not call the client.

    A store may also define `cooldown(key_id: str, pause_ms: int) -> None`: a POST of key_id
    was answered 429 with Retry-After, so no slot of key_id may be taken for pause_ms from now
    (extend a running cooldown, never shorten it). Without it, a 429 pauses no one else. An
    exception it raises is logged.
    """

    def acquire(self, slot: PostSlot) -> Optional[float]:
        """Takes `slot` if fewer than slot.limit slots of slot.key_id are held and no cooldown
        runs: drops the expired slots and records slot.id as expiring slot.hold_ms from now,
        atomically, then returns 0 or None. Otherwise returns how many ms to wait before the
        client asks again (it may ask sooner). An exception fails the POST with JoggError
        JOGG_ERR_LIMITER_STORE, raised from it (or the POST falls back, as the config's
        post_limit_fallback says); nothing is sent."""
        ...

    def release(self, slot: PostSlot) -> None:
        """The slot's POST was answered (or failed): it now expires slot.hold_ms from now. An
        exception is logged; the slot then ends with its lease."""
        ...


def _slot(pointer: Any) -> PostSlot:
    c = pointer.contents
    return PostSlot(c.id.decode("utf-8"), c.key_id.decode("utf-8"), c.limit, c.hold_ms)


def _wait_ms(wait: object) -> int:
    """acquire's answer as C takes it: 0 for taken, else whole ms, rounded up (a wait of under
    a ms is still a wait)."""
    if wait is None:
        return 0
    if isinstance(wait, bool) or not isinstance(wait, (int, float)):
        raise TypeError("acquire returned %r: want a wait in ms, or 0 or None when taken" % (wait,))
    if not math.isfinite(wait) or wait < 0:
        raise ValueError("acquire returned %r: want a wait in ms, or 0 or None when taken" % (wait,))
    return min(math.ceil(wait), 2**64 - 1)


class StoreCallbacks:
    """The C callbacks of one client's store. The C side keeps their function pointers as long
    as the client lives, so this object must too.

    C calls the store back on the thread that made the call, so an exception acquire raises is
    kept per thread, for the call running there to raise its JoggError from."""

    def __init__(self, store: PostSlotStore) -> None:
        self._store = store
        self._failure = threading.local()
        cooldown: Optional[Callable[[str, int], object]] = getattr(store, "cooldown", None)
        self._callbacks = (
            _library.POST_ACQUIRE(self._acquire),
            _library.POST_RELEASE(self._release),
            _library.POST_COOLDOWN(self._cooldown(cooldown)) if callable(cooldown) else _library.POST_COOLDOWN(0),
        )
        self.limiter = _library.CPostLimiter(*self._callbacks, None)

    def begin_call(self) -> None:
        self._failure.error = None

    def failure(self) -> Optional[BaseException]:
        """What acquire raised during this thread's call, if anything."""
        error: Optional[BaseException] = getattr(self._failure, "error", None)
        return error

    def _acquire(self, _userdata: Optional[int], slot: Any, wait_ms: Any) -> int:
        try:
            wait_ms[0] = _wait_ms(self._store.acquire(_slot(slot)))
            return 0
        except BaseException as e:  # noqa: BLE001 - must not reach C; the call raises from it
            self._failure.error = e
            return 1

    def _release(self, _userdata: Optional[int], slot: Any) -> int:
        try:
            self._store.release(_slot(slot))
            return 0
        except BaseException:  # noqa: BLE001 - must not reach C; the library logs the failure
            return 1

    @staticmethod
    def _cooldown(cooldown: Callable[[str, int], object]) -> Callable[[Optional[int], bytes, int], int]:
        def call(_userdata: Optional[int], key_id: bytes, pause_ms: int) -> int:
            try:
                cooldown(key_id.decode("utf-8"), pause_ms)
                return 0
            except BaseException:  # noqa: BLE001 - must not reach C; the library logs the failure
                return 1

        return call
