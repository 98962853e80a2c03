"""jogg from Python: the Jogg.ai video-generation API through libjogg's C interface (ctypes).

    import jogg
    with jogg.Client() as client:            # key and base URL from JOGG_API_KEY, JOGG_BASE_URL
        voices = client.list_voices({"language": "english"})
        project = client.wait_for_project(project_id, progress=lambda event: print(event))
    client = jogg.Client({}, log=lambda level, line: print(level, line))  # instead of stderr
    client = jogg.Client({}, post_limiter=store)  # POSTs counted in a store of your own
    client.webhook_deliver(body, signature)  # in your HTTP handler: wakes the waits on its task

Requests and results are dicts (the library's JSON, decoded). A failed call raises JoggError
with the code, name, message, field and request id. Every string the library returns is
copied and freed before a method returns. A Client may be shared by threads; the library
releases the GIL while it waits on the network.

The wheel carries libjogg.so inside the package, and that copy is used; JOGG_LIB (a path to
a libjogg.so) overrides it, and without either the system's library path is searched (an
installed jogg).
"""

import ctypes
import json
import os
import threading
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

from . import _library
from ._library import lib as _lib
from ._limiter import PostSlot, PostSlotStore, StoreCallbacks as _StoreCallbacks

__all__ = [
    "Client", "JoggError", "version", "version_number", "code_name", "operations",
    "webhook_verify", "webhook_parse", "LOG_INFO", "LOG_DEBUG", "PostSlot", "PostSlotStore",
]

# A request: a dict (sent as JSON), JSON text as it is, or None for no parameters.
Request = Union[Mapping[str, Any], str, None]
# A progress callback gets each event; returning False cancels, anything else continues.
Progress = Callable[[Dict[str, Any]], object]
# A log callback gets the level (LOG_INFO or LOG_DEBUG) and the line.
Log = Callable[[int, str], object]
# A decoded JSON object, as most calls return (`call` may return any JSON value).
Result = Dict[str, Any]

_client_p = _library.client_p
_PROGRESS = _library.PROGRESS
_LOG = _library.LOG

# The levels a log callback receives (jogg.h's JOGG_LOG_*).
LOG_INFO = 1  # one line per request: method, path, status, attempts, request id
LOG_DEBUG = 2  # also every attempt, and every retry with its delay and reason


def version() -> str:
    """The loaded library's "jogg/MAJOR.MINOR.PATCH"."""
    return _lib.jogg_version().decode()


def version_number() -> int:
    """The loaded library's MAJOR * 1000000 + MINOR * 1000 + PATCH."""
    return _lib.jogg_version_number()


def code_name(code: int) -> str:
    """The name of a code's constant in jogg.h, e.g. "JOGG_ERR_VALIDATION"."""
    return _lib.jogg_code_name(code).decode()


def operations() -> List[Result]:
    """Every operation Client.call accepts: a list of {"name", "version", "method", "path",
    "async", "poll_with", "polls", "items", "params"}."""
    out, err = ctypes.c_void_p(), ctypes.c_void_p()
    result: List[Result] = _check(_lib.jogg_operations(ctypes.byref(out), ctypes.byref(err)), out, err)
    return result


def _body(body: Union[bytes, bytearray, memoryview, str]) -> bytes:
    """A webhook body: bytes as they are (NUL bytes included), a str as UTF-8."""
    if isinstance(body, str):
        return _utf8(body, "body")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    raise _argument_error(_VALIDATION, "body", "must be bytes or a str (got %s)" % _type(body))


def webhook_verify(body: Union[bytes, str], signature: Optional[str], secret: str) -> bool:
    """Whether `signature` (the X-Webhook-Signature header, None when absent) signs the raw
    request `body` (bytes, exactly as received) under the endpoint's `secret`. False for a
    missing, malformed or wrong signature (answer HTTP 401); JoggError for an empty secret."""
    body = _body(body)
    code = _lib.jogg_webhook_verify(
        body, len(body), _optional_text(signature, "signature"), _text(secret, "secret")
    )
    if code == 0:
        return True
    if code_name(code) == "JOGG_ERR_SIGNATURE":
        return False
    raise JoggError(code, None)


def webhook_parse(body: Union[bytes, str], signature: Optional[str], secret: str) -> Result:
    """Verifies a delivery as webhook_verify does, then reads it: {"event", "event_id",
    "timestamp", "task_kind", "id", "status", "video_url", "cover_url", "error", "data"}.
    A bad signature raises JoggError JOGG_ERR_SIGNATURE."""
    body = _body(body)
    out, err = ctypes.c_void_p(), ctypes.c_void_p()
    code = _lib.jogg_webhook_parse(
        body,
        len(body),
        _optional_text(signature, "signature"),
        _text(secret, "secret"),
        ctypes.byref(out),
        ctypes.byref(err),
    )
    return _check(code, out, err)


class JoggError(Exception):
    """A failed call. `json` holds the whole error object (http_status, api_code, retryable...).

    Arguments are checked as the C library checks its own: a required one that is None raises
    JOGG_ERR_NULL_ARGUMENT, one of the wrong type (or a str holding a NUL character, which C
    cannot carry) JOGG_ERR_VALIDATION, a str that is not valid Unicode JOGG_ERR_INVALID_UTF8;
    `field` names the argument."""

    def __init__(self, code: int, error_json: Optional[Dict[str, Any]]) -> None:
        self.json: Dict[str, Any] = error_json or {}
        self.code: int = code
        self.name: str = self.json.get("name") or code_name(code)
        self.message: str = self.json.get("message") or self.name
        self.field: Optional[str] = self.json.get("field")
        # every member at fault: all the missing ones when several are, else [field]
        self.fields: List[str] = list(self.json.get("fields") or [])
        self.request_id: Optional[str] = self.json.get("request_id")  # quote it to Jogg support
        # the envelope's data the API sent with its error, if any
        self.api_data: Any = self.json.get("api_data")
        # the project a failed or cancelled wait was about
        self.task_id: Optional[str] = self.json.get("task_id")
        super().__init__(self.message)

    def __str__(self) -> str:
        if self.request_id:
            return "%s: %s (request id %s)" % (self.name, self.message, self.request_id)
        return "%s: %s" % (self.name, self.message)


def _take(pointer: Optional[int]) -> Any:
    """Decodes a string the library returned and frees it; None for NULL."""
    if not pointer:
        return None
    try:
        return json.loads(ctypes.string_at(pointer).decode("utf-8"))
    finally:
        _lib.jogg_string_free(pointer)


# The codes of jogg.h (their numbers are stable) the package raises itself, for its own
# argument checks.
_NULL_ARGUMENT = 1
_INVALID_UTF8 = 2
_VALIDATION = 4
_LIMITER_STORE = 402


def _type(value: object) -> str:
    return type(value).__name__


def _argument_error(code: int, name: str, problem: str) -> JoggError:
    """The error the C library gives for a bad argument, raised before calling it."""
    message = "%s: %s" % (name, problem)
    return JoggError(
        code,
        {"code": code, "name": code_name(code), "message": message, "field": name, "fields": [name]},
    )


def _utf8(value: str, name: str) -> bytes:
    if "\0" in value:
        raise _argument_error(_VALIDATION, name, "must not contain a NUL character (C strings end there)")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise _argument_error(_INVALID_UTF8, name, "not valid UTF-8 (%s)" % e.reason) from None


def _text(value: object, name: str) -> bytes:
    """A required str argument, as C receives it."""
    if value is None:
        raise _argument_error(_NULL_ARGUMENT, name, "must not be None")
    if not isinstance(value, str):
        raise _argument_error(_VALIDATION, name, "must be a str (got %s)" % _type(value))
    return _utf8(value, name)


def _optional_text(value: object, name: str) -> Optional[bytes]:
    return None if value is None else _text(value, name)


def _path(value: object, name: str) -> bytes:
    """A file path: a str or an os.PathLike."""
    if value is None:
        raise _argument_error(_NULL_ARGUMENT, name, "must not be None")
    if not isinstance(value, (str, os.PathLike)):
        raise _argument_error(_VALIDATION, name, "must be a str or a path (got %s)" % _type(value))
    encoded = os.fsencode(value)
    if b"\0" in encoded:
        raise _argument_error(_VALIDATION, name, "must not contain a NUL character (C strings end there)")
    return encoded


def _json(value: object, name: str, required: bool = False, sequence: bool = False) -> Optional[bytes]:
    """A JSON argument: a dict (or a list where `sequence`) sent as JSON, a str sent as it is
    (JSON text), None as NULL (the defaults) unless `required`."""
    if value is None:
        if required:
            raise _argument_error(_NULL_ARGUMENT, name, "must not be None")
        return None
    if isinstance(value, str):
        return _utf8(value, name)
    if isinstance(value, Mapping) or (sequence and isinstance(value, (list, tuple))):
        try:
            return _utf8(json.dumps(value if not isinstance(value, Mapping) else dict(value)), name)
        except (TypeError, ValueError) as e:
            raise _argument_error(_VALIDATION, name, "cannot be sent as JSON: %s" % e) from None
    kinds = "a list, a JSON str or None" if sequence else "a dict, a JSON str or None"
    raise _argument_error(_VALIDATION, name, "must be %s (got %s)" % (kinds, _type(value)))


def _check(code: int, out: ctypes.c_void_p, err: ctypes.c_void_p) -> Any:
    """Frees both output strings; the decoded result, or JoggError."""
    result, detail = _take(out.value), _take(err.value)
    if code != 0:
        raise JoggError(code, detail)
    return result


class Client:
    """One jogg_client: configuration, API key and connection pool.

    `config` is a dict or JSON string as for jogg_client_new; {} takes the key and base URL
    from JOGG_API_KEY and JOGG_BASE_URL. Use it as a context manager, or call close().

    `log(level, line)`, when given, receives the log lines instead of stderr
    (jogg_client_new_with_log): `level` is LOG_INFO or LOG_DEBUG, `line` a str. The level sent
    is the config's "log", else JOGG_LOG, else "debug" (filter on `level`). It is called from
    whichever thread makes a request, possibly several at once, and must not call the client.
    An exception it raises is caught and dropped, with its line: it never propagates through C.

    `post_limiter`, when given, is a store of your own (see PostSlotStore) in which the
    client's POSTs are counted instead of a "post_limit_scope", which `config` must then leave
    out (jogg_client_new_with_post_limiter): one store given to several clients, or a store
    whose state lives in a database or a service of yours, makes them share the key's POST
    limit. "post_limit", "post_window_ms" and "post_limit_fallback" apply as usual. An
    exception its methods raise never propagates through C: one from acquire fails the POST
    with JoggError JOGG_ERR_LIMITER_STORE (nothing is sent), raised from it. The client holds
    the store until close(). It cannot be combined with `log` (the C interface takes one or
    the other).
    """

    def __init__(
        self, config: Request = None, log: Optional[Log] = None, post_limiter: Optional[PostSlotStore] = None
    ) -> None:
        # Calls hold the lock shared and close() exclusively: the C contract forbids freeing
        # a client while a call on it runs. A condition variable makes a tiny shared lock.
        self._users = 0
        self._cond = threading.Condition()
        self._handle: Optional[ctypes.c_void_p] = None
        self._log_callback: Optional[Any] = None
        self._store: Optional[_StoreCallbacks] = None
        handle, err = _client_p(), ctypes.c_void_p()
        if log is not None and not callable(log):
            raise _argument_error(_VALIDATION, "log", "must be callable or None (got %s)" % _type(log))
        if post_limiter is not None:
            missing = [m for m in ("acquire", "release") if not callable(getattr(post_limiter, m, None))]
            if missing:
                raise _argument_error(
                    _VALIDATION,
                    "post_limiter",
                    "must have acquire and release methods (a %s has no %s)"
                    % (_type(post_limiter), " or ".join(missing)),
                )
            if log is not None:
                raise _argument_error(
                    _VALIDATION, "post_limiter", "cannot be combined with log (the C interface takes one or the other)"
                )
        config_json = _json(config if config is not None else {}, "config")
        if post_limiter is not None:
            # Like the log callback, the store's callbacks live as long as the client.
            store = _StoreCallbacks(post_limiter)
            code = _lib.jogg_client_new_with_post_limiter(
                config_json, ctypes.byref(store.limiter), ctypes.byref(handle), ctypes.byref(err)
            )
            if code == 0:
                self._store = store
        elif log is None:
            code = _lib.jogg_client_new(config_json, ctypes.byref(handle), ctypes.byref(err))
        else:
            sink = log

            def trampoline(_userdata: Optional[int], level: int, line: bytes) -> None:
                try:
                    sink(level, line.decode("utf-8", "replace"))
                except BaseException:  # noqa: BLE001 - must not reach C; the line is dropped
                    pass

            # The C side keeps the function pointer as long as the client lives, so the
            # CFUNCTYPE object must too: close() lets go of it once the client is freed.
            callback = _LOG(trampoline)
            code = _lib.jogg_client_new_with_log(
                config_json, callback, None, ctypes.byref(handle), ctypes.byref(err)
            )
            if code == 0:
                self._log_callback = callback
        _check(code, ctypes.c_void_p(), err)
        self._handle = handle

    def close(self) -> None:
        """Releases the client once running calls have returned; later calls raise ValueError."""
        with self._cond:
            while self._users:
                self._cond.wait()
            handle, self._handle = self._handle, None
        if handle:
            _lib.jogg_client_free(handle)
            # Only now: a freed client sends no more lines and asks its store nothing more.
            self._log_callback = None
            self._store = None

    def __del__(self) -> None:
        # At interpreter exit the module may already be torn down; nothing useful is left to do.
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def create_talking_avatar_video(self, request: Request) -> Result:
        """Starts a render: {"project_id": "..."}. Required: avatar_id, avatar_type, screen_style,
        and exactly one of script (with voice_id) or audio_url."""
        return self._call(_lib.jogg_create_talking_avatar_video, _json(request, "request", required=True))

    def get_project(self, project_id: str) -> Result:
        """The project's current state."""
        return self._call(_lib.jogg_get_project, _text(project_id, "project_id"))

    def list_avatars(self, filters: Request = None) -> Result:
        """{"avatars": [...]}, optionally filtered."""
        return self._call(_lib.jogg_list_avatars, _json(filters, "filters"))

    def list_voices(self, filters: Request = None) -> Result:
        """One page: {"total": N, "voices": [...]}; with {"all_pages": True}, every page:
        {"voices": [...], "pages": N}."""
        return self._call(_lib.jogg_list_voices, _json(filters, "filters"))

    def wait_for_project(
        self, project_id: str, options: Request = None, progress: Optional[Progress] = None
    ) -> Result:
        """Blocks until the project has rendered; the final project.

        `progress(event)` is called with each poll's event dict; returning False cancels (any
        other value continues). An exception it raises cancels the wait and is re-raised here
        once the library has returned: it never propagates through C.
        """
        return self._progress_call(
            progress, _lib.jogg_wait_for_project, _text(project_id, "project_id"), _json(options, "options")
        )

    def call(self, operation: str, request: Request = None) -> Any:
        """Runs any operation by name ("v2.get_current_user"...; see operations()): the API's
        data. `request` may be None (no parameters) or a dict, with "all_pages": True for
        every page of a paged list."""
        return self._call(_lib.jogg_call, _text(operation, "operation"), _json(request, "request"))

    def wait(
        self, poll_operation: str, task_id: str, options: Request = None, progress: Optional[Progress] = None
    ) -> Result:
        """Waits for any task, polled with `poll_operation` ("v2.get_avatar_video"...):
        {"id", "status", "polls", "elapsed_ms", "task"}. Progress as in wait_for_project."""
        return self._progress_call(
            progress,
            _lib.jogg_wait,
            _text(poll_operation, "poll_operation"),
            _text(task_id, "task_id"),
            _json(options, "options"),
        )

    def wait_many(
        self, tasks: Sequence[Mapping[str, Any]], options: Request = None, progress: Optional[Progress] = None
    ) -> List[Result]:
        """Waits for every task of `tasks`, a list of {"operation", "id"}: a list in the same
        order of {"id", "operation", "ok", "result" or "error"}."""
        return self._progress_call(
            progress,
            _lib.jogg_wait_many,
            _json(tasks, "tasks", required=True, sequence=True),
            _json(options, "options"),
        )

    def call_and_wait(
        self, operation: str, request: Request = None, options: Request = None, progress: Optional[Progress] = None
    ) -> Result:
        """Starts a task by operation name and waits for it: {"created", "id", "status",
        "polls", "elapsed_ms", "task"}. A failure after the create has the id in task_id."""
        return self._progress_call(
            progress,
            _lib.jogg_call_and_wait,
            _text(operation, "operation"),
            _json(request, "request"),
            _json(options, "options"),
        )

    def generate_talking_avatar_video(
        self, request: Request, options: Request = None, progress: Optional[Progress] = None
    ) -> Result:
        """Creates a talking-avatar video and waits for it: the finished project."""
        return self._progress_call(
            progress,
            _lib.jogg_generate_talking_avatar_video,
            _json(request, "request", required=True),
            _json(options, "options"),
        )

    def upload_asset(
        self,
        path: Union[str, "os.PathLike[str]"],
        options: Request = None,
        progress: Optional[Progress] = None,
    ) -> Result:
        """Uploads a local file: {"asset_url", "filename", "content_type", "bytes", "version"}.
        `progress` gets {"bytes", "total"} events, as in wait_for_project."""
        result: Result = self._progress_call(
            progress, _lib.jogg_upload_asset, _path(path, "path"), _json(options, "options")
        )
        return result

    def download(
        self, url: str, path: Union[str, "os.PathLike[str]"], progress: Optional[Progress] = None
    ) -> Result:
        """Downloads `url` to the file `path` (through `path`.part, resumed if present):
        {"path", "bytes", "sha256", "resumed_from", "content_type"}. `progress` gets
        {"bytes", "total"} events, as in wait_for_project."""
        return self._progress_call(progress, _lib.jogg_download, _text(url, "url"), _path(path, "path"))

    def create_webhook_endpoint(self, request: Request) -> Result:
        """Registers a webhook endpoint (v1): the endpoint, with the `secret` that signs its
        deliveries."""
        return self._call(_lib.jogg_create_webhook_endpoint, _json(request, "request", required=True))

    def webhook_deliver(self, body: Union[bytes, str], signature: Optional[str]) -> Result:
        """Hands the client a webhook delivery your HTTP handler received: the raw request
        `body` (bytes, exactly as received) and the X-Webhook-Signature header (None when
        absent). The client verifies it with the secrets it knows (endpoints it created, the
        config's "webhook_secrets") and wakes every wait on its task, in any thread. Returns
        the event, with "duplicate" and "woken"; answer the request 2xx. JoggError
        JOGG_ERR_SIGNATURE means answer 401; other errors (JOGG_ERR_BAD_RESPONSE,
        JOGG_ERR_BODY_TOO_LARGE), 400. A refused delivery wakes nothing."""
        body = _body(body)
        result: Result = self._call(
            _lib.jogg_webhook_deliver, body, len(body), _optional_text(signature, "signature")
        )
        return result

    def _progress_call(self, progress: Optional[Progress], fn: Any, *args: Any) -> Any:
        """Runs a function shaped (client, inputs..., jogg_progress_cb, void *userdata, char
        **out, char **error_json) with `progress` as its callback (see wait_for_project)."""
        if progress is not None and not callable(progress):
            raise _argument_error(_VALIDATION, "progress", "must be callable or None (got %s)" % _type(progress))
        raised: List[BaseException] = []

        def trampoline(report: Progress) -> Any:
            def call(_userdata: Optional[int], event_json: bytes) -> int:
                try:
                    return 1 if report(json.loads(event_json.decode("utf-8"))) is False else 0
                except BaseException as e:  # noqa: BLE001 - handed back to the caller below
                    raised.append(e)
                    return 1

            return _PROGRESS(call)

        # A NULL function pointer (address 0) when there is no callback. The CFUNCTYPE object
        # must stay alive for the whole call: `callback` holds it.
        callback = trampoline(progress) if progress is not None else _PROGRESS(0)
        try:
            return self._call(fn, *args, callback, None)
        except JoggError:
            if raised:
                raise raised[0] from None
            raise

    def _call(self, fn: Any, *args: Any) -> Any:
        """Runs one C function shaped (client, inputs..., char **out, char **error_json)."""
        with self._cond:
            if not self._handle:
                raise ValueError("jogg: client is closed")
            self._users += 1
        store = self._store
        try:
            out, err = ctypes.c_void_p(), ctypes.c_void_p()
            if store is None:
                code = fn(self._handle, *args, ctypes.byref(out), ctypes.byref(err))
                return _check(code, out, err)
            store.begin_call()
            code = fn(self._handle, *args, ctypes.byref(out), ctypes.byref(err))
            try:
                return _check(code, out, err)
            except JoggError as e:
                cause = store.failure()
                if e.code == _LIMITER_STORE and cause is not None:
                    raise e from cause
                raise
        finally:
            with self._cond:
                self._users -= 1
                self._cond.notify_all()
