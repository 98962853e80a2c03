"""jogg from Python: the Jogg.ai video-generation API through libjogg's C interface (ctypes).

    import jogg
    with jogg.Client() as client:            # key and base URL from JOGG_API_KEY, JOGG_BASE_URL
        voices = client.list_voices({"language": "english"})
        project = client.wait_for_project(project_id, progress=lambda event: print(event))
    client = jogg.Client({}, log=lambda level, line: print(level, line))  # instead of stderr

Requests and results are dicts (the library's JSON, decoded). A failed call raises JoggError
with the code, name, message, field and request id. Every string the library returns is
copied and freed before a method returns. A Client may be shared by threads; the library
releases the GIL while it waits on the network.

The library is found through the JOGG_LIB environment variable (a path to libjogg.so), then
target/release/libjogg.so of this source tree, then the system's library path.
"""

import ctypes
import json
import os
import threading

__all__ = [
    "Client", "JoggError", "version", "version_number", "code_name", "operations",
    "webhook_verify", "webhook_parse", "LOG_INFO", "LOG_DEBUG",
]


def _load():
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [
        os.environ.get("JOGG_LIB"),
        os.path.join(here, "..", "..", "target", "release", "libjogg.so"),
        "libjogg.so",  # the linker's search path: an installed jogg (`make install`)
    ]
    errors = []
    for path in filter(None, candidates):
        if os.sep in path and not os.path.exists(path):
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append(str(e))
    raise ImportError(
        "libjogg.so not found: set JOGG_LIB, run `make lib`, or install jogg (%s)" % "; ".join(errors)
    )


_lib = _load()

_client_p = ctypes.c_void_p
# Returned strings are declared as void pointers, not c_char_p: c_char_p would convert them
# to bytes at once and lose the pointer that jogg_string_free needs.
_out = ctypes.POINTER(ctypes.c_void_p)
_PROGRESS = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_char_p)
_LOG = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int32, ctypes.c_char_p)

# The levels a log callback receives (jogg.h's JOGG_LOG_*).
LOG_INFO = 1  # one line per request: method, path, status, attempts, request id
LOG_DEBUG = 2  # also every attempt, and every retry with its delay and reason

# name: (restype, argtypes). An operation of the usual shape (client, inputs..., out, err)
# needs one line here and a one-line method below.
_SIGNATURES = {
    "jogg_version": (ctypes.c_char_p, []),
    "jogg_version_number": (ctypes.c_uint32, []),
    "jogg_code_name": (ctypes.c_char_p, [ctypes.c_int32]),
    "jogg_client_new": (ctypes.c_int32, [ctypes.c_char_p, ctypes.POINTER(_client_p), _out]),
    "jogg_client_new_with_log": (
        ctypes.c_int32,
        [ctypes.c_char_p, _LOG, ctypes.c_void_p, ctypes.POINTER(_client_p), _out],
    ),
    "jogg_client_free": (None, [_client_p]),
    "jogg_string_free": (None, [ctypes.c_void_p]),
    "jogg_create_talking_avatar_video": (ctypes.c_int32, [_client_p, ctypes.c_char_p, _out, _out]),
    "jogg_get_project": (ctypes.c_int32, [_client_p, ctypes.c_char_p, _out, _out]),
    "jogg_list_avatars": (ctypes.c_int32, [_client_p, ctypes.c_char_p, _out, _out]),
    "jogg_list_voices": (ctypes.c_int32, [_client_p, ctypes.c_char_p, _out, _out]),
    "jogg_wait_for_project": (
        ctypes.c_int32,
        [_client_p, ctypes.c_char_p, ctypes.c_char_p, _PROGRESS, ctypes.c_void_p, _out, _out],
    ),
    "jogg_call": (ctypes.c_int32, [_client_p, ctypes.c_char_p, ctypes.c_char_p, _out, _out]),
    "jogg_operations": (ctypes.c_int32, [_out, _out]),
    "jogg_wait": (
        ctypes.c_int32,
        [_client_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, _PROGRESS, ctypes.c_void_p, _out, _out],
    ),
    "jogg_wait_many": (
        ctypes.c_int32,
        [_client_p, ctypes.c_char_p, ctypes.c_char_p, _PROGRESS, ctypes.c_void_p, _out, _out],
    ),
    "jogg_call_and_wait": (
        ctypes.c_int32,
        [_client_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, _PROGRESS, ctypes.c_void_p, _out, _out],
    ),
    "jogg_generate_talking_avatar_video": (
        ctypes.c_int32,
        [_client_p, ctypes.c_char_p, ctypes.c_char_p, _PROGRESS, ctypes.c_void_p, _out, _out],
    ),
    "jogg_upload_asset": (
        ctypes.c_int32,
        [_client_p, ctypes.c_char_p, ctypes.c_char_p, _PROGRESS, ctypes.c_void_p, _out, _out],
    ),
    "jogg_download": (
        ctypes.c_int32,
        [_client_p, ctypes.c_char_p, ctypes.c_char_p, _PROGRESS, ctypes.c_void_p, _out, _out],
    ),
    # The body is bytes with a length, so it may hold NUL bytes.
    "jogg_webhook_verify": (ctypes.c_int32, [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p]),
    "jogg_webhook_parse": (
        ctypes.c_int32,
        [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p, _out, _out],
    ),
    "jogg_create_webhook_endpoint": (ctypes.c_int32, [_client_p, ctypes.c_char_p, _out, _out]),
}
for _name, (_restype, _argtypes) in _SIGNATURES.items():
    _fn = getattr(_lib, _name)
    _fn.restype, _fn.argtypes = _restype, _argtypes

def version():
    """The loaded library's "jogg/MAJOR.MINOR.PATCH"."""
    return _lib.jogg_version().decode()


def version_number():
    """The loaded library's MAJOR * 1000000 + MINOR * 1000 + PATCH."""
    return _lib.jogg_version_number()


def code_name(code):
    """The name of a code's constant in jogg.h, e.g. "JOGG_ERR_VALIDATION"."""
    return _lib.jogg_code_name(code).decode()


def operations():
    """Every operation Client.call accepts: a list of {"name", "version", "method", "path",
    "async", "poll_with", "params"}."""
    out, err = ctypes.c_void_p(), ctypes.c_void_p()
    return _check(_lib.jogg_operations(ctypes.byref(out), ctypes.byref(err)), out, err)


def _bytes(body):
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


def webhook_verify(body, signature, secret):
    """Whether `signature` (the X-Webhook-Signature header, None when absent) signs the raw
    request `body` (bytes, exactly as received) under the endpoint's `secret`. False for a
    missing, malformed or wrong signature (answer HTTP 401); JoggError for an empty secret."""
    body = _bytes(body)
    code = _lib.jogg_webhook_verify(body, len(body), _encode(signature), _encode(secret))
    if code == 0:
        return True
    if code_name(code) == "JOGG_ERR_SIGNATURE":
        return False
    raise JoggError(code, None)


def webhook_parse(body, signature, secret):
    """Verifies a delivery as webhook_verify does, then reads it: {"event", "event_id",
    "timestamp", "task_kind", "id", "status", "video_url", "cover_url", "error", "data"}.
    A bad signature raises JoggError JOGG_ERR_SIGNATURE."""
    body = _bytes(body)
    out, err = ctypes.c_void_p(), ctypes.c_void_p()
    code = _lib.jogg_webhook_parse(
        body, len(body), _encode(signature), _encode(secret), ctypes.byref(out), ctypes.byref(err)
    )
    return _check(code, out, err)


class JoggError(Exception):
    """A failed call. `json` holds the whole error object (http_status, api_code, retryable...)."""

    def __init__(self, code, error_json):
        self.json = error_json or {}
        self.code = code
        self.name = self.json.get("name") or code_name(code)
        self.message = self.json.get("message") or self.name
        self.field = self.json.get("field")
        self.request_id = self.json.get("request_id")  # quote it to Jogg support
        self.task_id = self.json.get("task_id")  # the project a failed or cancelled wait was about
        super().__init__(self.message)

    def __str__(self):
        if self.request_id:
            return "%s: %s (request id %s)" % (self.name, self.message, self.request_id)
        return "%s: %s" % (self.name, self.message)


def _take(pointer):
    """Decodes a string the library returned and frees it; None for NULL."""
    if not pointer:
        return None
    try:
        return json.loads(ctypes.string_at(pointer).decode("utf-8"))
    finally:
        _lib.jogg_string_free(pointer)


def _encode(value):
    """A request for the library: dict -> JSON bytes, str -> bytes, None -> NULL."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.encode("utf-8")
    return json.dumps(value).encode("utf-8")


def _check(code, out, err):
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
    """

    def __init__(self, config=None, log=None):
        # Calls hold the lock shared and close() exclusively: the C contract forbids freeing
        # a client while a call on it runs. A condition variable makes a tiny shared lock.
        self._users = 0
        self._cond = threading.Condition()
        self._handle = None
        self._log_callback = None
        handle, err = _client_p(), ctypes.c_void_p()
        config = _encode(config if config is not None else {})
        if log is None:
            code = _lib.jogg_client_new(config, ctypes.byref(handle), ctypes.byref(err))
        else:
            def trampoline(_userdata, level, line):
                try:
                    log(level, line.decode("utf-8", "replace"))
                except BaseException:  # noqa: BLE001 - must not reach C; the line is dropped
                    pass

            # The C side keeps the function pointer as long as the client lives, so the
            # CFUNCTYPE object must too: close() lets go of it once the client is freed.
            callback = _LOG(trampoline)
            code = _lib.jogg_client_new_with_log(
                config, callback, None, ctypes.byref(handle), ctypes.byref(err)
            )
            if code == 0:
                self._log_callback = callback
        _check(code, ctypes.c_void_p(), err)
        self._handle = handle

    def close(self):
        """Releases the client once running calls have returned; later calls raise ValueError."""
        with self._cond:
            while self._users:
                self._cond.wait()
            handle, self._handle = self._handle, None
        if handle:
            _lib.jogg_client_free(handle)
            self._log_callback = None  # only now: a freed client sends no more lines

    def __del__(self):
        # At interpreter exit the module may already be torn down; nothing useful is left to do.
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def create_talking_avatar_video(self, request):
        """Starts a render: {"project_id": "..."}."""
        return self._call(_lib.jogg_create_talking_avatar_video, _encode(request))

    def get_project(self, project_id):
        """The project's current state."""
        return self._call(_lib.jogg_get_project, project_id.encode("utf-8"))

    def list_avatars(self, filters=None):
        """{"avatars": [...]}, optionally filtered."""
        return self._call(_lib.jogg_list_avatars, _encode(filters))

    def list_voices(self, filters=None):
        """One page: {"total": N, "voices": [...]}."""
        return self._call(_lib.jogg_list_voices, _encode(filters))

    def wait_for_project(self, project_id, options=None, progress=None):
        """Blocks until the project has rendered; the final project.

        `progress(event)` is called with each poll's event dict; returning False cancels (any
        other value continues). An exception it raises cancels the wait and is re-raised here
        once the library has returned: it never propagates through C.
        """
        return self._progress_call(
            progress, _lib.jogg_wait_for_project, project_id.encode("utf-8"), _encode(options)
        )

    def call(self, operation, request=None):
        """Runs any operation by name ("v2.get_current_user"...; see operations()): the API's
        data. `request` may be None (no parameters) or a dict, with "all_pages": True for
        every page of a paged list."""
        return self._call(_lib.jogg_call, operation.encode("utf-8"), _encode(request))

    def wait(self, poll_operation, task_id, options=None, progress=None):
        """Waits for any task, polled with `poll_operation` ("v2.get_avatar_video"...):
        {"id", "status", "polls", "elapsed_ms", "task"}. Progress as in wait_for_project."""
        return self._progress_call(
            progress, _lib.jogg_wait, poll_operation.encode("utf-8"), task_id.encode("utf-8"), _encode(options)
        )

    def wait_many(self, tasks, options=None, progress=None):
        """Waits for every task of `tasks`, a list of {"operation", "id"}: a list in the same
        order of {"id", "operation", "ok", "result" or "error"}."""
        return self._progress_call(progress, _lib.jogg_wait_many, _encode(tasks), _encode(options))

    def call_and_wait(self, operation, request=None, options=None, progress=None):
        """Starts a task by operation name and waits for it: {"created", "id", "status",
        "polls", "elapsed_ms", "task"}. A failure after the create has the id in task_id."""
        return self._progress_call(
            progress, _lib.jogg_call_and_wait, operation.encode("utf-8"), _encode(request), _encode(options)
        )

    def generate_talking_avatar_video(self, request, options=None, progress=None):
        """Creates a talking-avatar video and waits for it: the finished project."""
        return self._progress_call(
            progress, _lib.jogg_generate_talking_avatar_video, _encode(request), _encode(options)
        )

    def upload_asset(self, path, options=None, progress=None):
        """Uploads a local file: {"asset_url", "filename", "content_type", "bytes", "version"}.
        `progress` gets {"bytes", "total"} events, as in wait_for_project."""
        return self._progress_call(
            progress, _lib.jogg_upload_asset, os.fsencode(path), _encode(options)
        )

    def download(self, url, path, progress=None):
        """Downloads `url` to the file `path` (through `path`.part, resumed if present):
        {"path", "bytes", "sha256", "resumed_from", "content_type"}. `progress` gets
        {"bytes", "total"} events, as in wait_for_project."""
        return self._progress_call(progress, _lib.jogg_download, url.encode("utf-8"), os.fsencode(path))

    def create_webhook_endpoint(self, request):
        """Registers a webhook endpoint (v1): the endpoint, with the `secret` that signs its
        deliveries."""
        return self._call(_lib.jogg_create_webhook_endpoint, _encode(request))

    def _progress_call(self, progress, fn, *args):
        """Runs a function shaped (client, inputs..., jogg_progress_cb, void *userdata, char
        **out, char **error_json) with `progress` as its callback (see wait_for_project)."""
        raised = []

        def trampoline(_userdata, event_json):
            try:
                return 1 if progress(json.loads(event_json.decode("utf-8"))) is False else 0
            except BaseException as e:  # noqa: BLE001 - handed back to the caller below
                raised.append(e)
                return 1

        # A NULL function pointer when there is no callback. The CFUNCTYPE object must stay
        # alive for the whole call: `callback` holds it.
        callback = _PROGRESS(trampoline) if progress is not None else _PROGRESS()
        try:
            return self._call(fn, *args, callback, None)
        except JoggError:
            if raised:
                raise raised[0] from None
            raise

    def _call(self, fn, *args):
        """Runs one C function shaped (client, inputs..., char **out, char **error_json)."""
        with self._cond:
            if not self._handle:
                raise ValueError("jogg: client is closed")
            self._users += 1
        try:
            out, err = ctypes.c_void_p(), ctypes.c_void_p()
            code = fn(self._handle, *args, ctypes.byref(out), ctypes.byref(err))
            return _check(code, out, err)
        finally:
            with self._cond:
                self._users -= 1
                self._cond.notify_all()
