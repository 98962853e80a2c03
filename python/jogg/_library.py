"""Finding libjogg and declaring the C functions the package calls (include/jogg.h)."""

import ctypes
import os
import sys
from typing import List, Tuple

# The file name of the C library, as cargo builds it and as the wheel carries it.
FILE_NAME = {"darwin": "libjogg.dylib", "win32": "jogg.dll"}.get(sys.platform, "libjogg.so")


def _load() -> Tuple[ctypes.CDLL, str]:
    """The library and where it came from: $JOGG_LIB when set (a path, to try another build),
    else the copy inside this package (the wheel's), else the system's library search path (an
    installed jogg, `make install`)."""
    bundled = os.path.join(os.path.dirname(os.path.abspath(__file__)), FILE_NAME)
    candidates = [os.environ.get("JOGG_LIB"), bundled, FILE_NAME]
    errors: List[str] = []
    for path in filter(None, candidates):
        if os.sep in path and not os.path.exists(path):
            errors.append("%s: no such file" % path)
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            errors.append(str(e))
    raise ImportError(
        "%s not found: install the jogg wheel, set JOGG_LIB to the library's path, or install "
        "jogg (%s)" % (FILE_NAME, "; ".join(errors))
    )


lib, path = _load()

client_p = ctypes.c_void_p
# Returned strings are declared as void pointers, not c_char_p: c_char_p would convert them
# to bytes at once and lose the pointer that jogg_string_free needs.
out = ctypes.POINTER(ctypes.c_void_p)
PROGRESS = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_char_p)
LOG = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int32, ctypes.c_char_p)


class CPostSlot(ctypes.Structure):
    """jogg_post_slot."""

    _fields_ = [
        ("id", ctypes.c_char_p),
        ("key_id", ctypes.c_char_p),
        ("limit", ctypes.c_uint32),
        ("hold_ms", ctypes.c_uint64),
    ]


POST_ACQUIRE = ctypes.CFUNCTYPE(
    ctypes.c_int32, ctypes.c_void_p, ctypes.POINTER(CPostSlot), ctypes.POINTER(ctypes.c_uint64)
)
POST_RELEASE = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.POINTER(CPostSlot))
POST_COOLDOWN = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint64)


class CPostLimiter(ctypes.Structure):
    """jogg_post_limiter."""

    _fields_ = [
        ("acquire", POST_ACQUIRE),
        ("release", POST_RELEASE),
        ("cooldown", POST_COOLDOWN),
        ("userdata", ctypes.c_void_p),
    ]


# name: (restype, argtypes). An operation of the usual shape (client, inputs..., out, err)
# needs one line here and a one-line method in the package.
_SIGNATURES = {
    "jogg_version": (ctypes.c_char_p, []),
    "jogg_version_number": (ctypes.c_uint32, []),
    "jogg_code_name": (ctypes.c_char_p, [ctypes.c_int32]),
    "jogg_client_new": (ctypes.c_int32, [ctypes.c_char_p, ctypes.POINTER(client_p), out]),
    "jogg_client_new_with_log": (
        ctypes.c_int32,
        [ctypes.c_char_p, LOG, ctypes.c_void_p, ctypes.POINTER(client_p), out],
    ),
    "jogg_client_new_with_post_limiter": (
        ctypes.c_int32,
        [ctypes.c_char_p, ctypes.POINTER(CPostLimiter), ctypes.POINTER(client_p), out],
    ),
    "jogg_client_free": (None, [client_p]),
    "jogg_string_free": (None, [ctypes.c_void_p]),
    "jogg_create_talking_avatar_video": (ctypes.c_int32, [client_p, ctypes.c_char_p, out, out]),
    "jogg_get_project": (ctypes.c_int32, [client_p, ctypes.c_char_p, out, out]),
    "jogg_list_avatars": (ctypes.c_int32, [client_p, ctypes.c_char_p, out, out]),
    "jogg_list_voices": (ctypes.c_int32, [client_p, ctypes.c_char_p, out, out]),
    "jogg_wait_for_project": (
        ctypes.c_int32,
        [client_p, ctypes.c_char_p, ctypes.c_char_p, PROGRESS, ctypes.c_void_p, out, out],
    ),
    "jogg_call": (ctypes.c_int32, [client_p, ctypes.c_char_p, ctypes.c_char_p, out, out]),
    "jogg_operations": (ctypes.c_int32, [out, out]),
    "jogg_wait": (
        ctypes.c_int32,
        [client_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, PROGRESS, ctypes.c_void_p, out, out],
    ),
    "jogg_wait_many": (
        ctypes.c_int32,
        [client_p, ctypes.c_char_p, ctypes.c_char_p, PROGRESS, ctypes.c_void_p, out, out],
    ),
    "jogg_call_and_wait": (
        ctypes.c_int32,
        [client_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, PROGRESS, ctypes.c_void_p, out, out],
    ),
    "jogg_generate_talking_avatar_video": (
        ctypes.c_int32,
        [client_p, ctypes.c_char_p, ctypes.c_char_p, PROGRESS, ctypes.c_void_p, out, out],
    ),
    "jogg_upload_asset": (
        ctypes.c_int32,
        [client_p, ctypes.c_char_p, ctypes.c_char_p, PROGRESS, ctypes.c_void_p, out, out],
    ),
    "jogg_download": (
        ctypes.c_int32,
        [client_p, ctypes.c_char_p, ctypes.c_char_p, PROGRESS, ctypes.c_void_p, out, out],
    ),
    # The body is bytes with a length, so it may hold NUL bytes.
    "jogg_webhook_verify": (ctypes.c_int32, [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p]),
    "jogg_webhook_parse": (
        ctypes.c_int32,
        [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p, out, out],
    ),
    "jogg_create_webhook_endpoint": (ctypes.c_int32, [client_p, ctypes.c_char_p, out, out]),
    "jogg_webhook_deliver": (
        ctypes.c_int32,
        [client_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, out, out],
    ),
}
for _name, (_restype, _argtypes) in _SIGNATURES.items():
    _fn = getattr(lib, _name)
    _fn.restype, _fn.argtypes = _restype, _argtypes
