"""Tests of the jogg package against jogg-mock, run on the installed wheel by `make test-python`:

    jogg-mock --render-ms 300 -- python3 -m pytest python/tests

With JOGG_BASE_URL unset, the tests start a jogg-mock themselves: $JOGG_MOCK, else one on PATH,
else this repository's release build (in $CARGO_TARGET_DIR or target/).
"""

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.request

import pytest

import jogg

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
WAIT = {"timeout_ms": 20000, "initial_interval_ms": 20, "max_interval_ms": 100}


def mock_binary():
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    return (
        os.environ.get("JOGG_MOCK")
        or shutil.which("jogg-mock")
        or os.path.join(target, "release", "jogg-mock")
    )


@pytest.fixture(scope="session", autouse=True)
def mock_server():
    if os.environ.get("JOGG_BASE_URL"):
        yield
        return
    binary = mock_binary()
    if not os.path.exists(binary):
        pytest.exit("JOGG_BASE_URL is unset and %s is missing: run `make lib` first" % binary, 1)
    mock = subprocess.Popen([binary, "--render-ms", "300"], stderr=subprocess.PIPE, text=True)
    # First line on stderr: "jogg-mock listening on http://127.0.0.1:PORT"; os.environ also
    # sets the C environment, where the library reads it.
    os.environ["JOGG_BASE_URL"] = mock.stderr.readline().split()[-1]
    os.environ["JOGG_API_KEY"] = "jogg-mock-key"
    yield
    mock.kill()
    mock.wait()
    del os.environ["JOGG_BASE_URL"], os.environ["JOGG_API_KEY"]


@pytest.fixture
def client():
    with jogg.Client({"proxy": "none"}) as c:
        yield c


def talking_request(client, script):
    """A talking-avatar request with the catalogue's first avatar and voice."""
    avatar = client.list_avatars()["avatars"][0]["avatar_id"]
    voice = client.list_voices({"page_size": 1})["voices"][0]["voice_id"]
    return {"script": script, "voice_id": voice, "avatar_id": avatar, "avatar_type": 0, "screen_style": 1}


def create_video(client, script):
    created = client.create_talking_avatar_video(talking_request(client, script))
    assert isinstance(created["project_id"], str) and created["project_id"]
    return created["project_id"]


def test_version_agrees_with_header_cargo_toml_and_the_distribution():
    with open(os.path.join(ROOT, "Cargo.toml")) as f:
        cargo = re.search(r'^version = "(\d+)\.(\d+)\.(\d+)"', f.read(), re.M).groups()
    with open(os.path.join(ROOT, "include", "jogg.h")) as f:
        macros = dict(re.findall(r"^#define (JOGG_VERSION_\w+) (\S+)", f.read(), re.M))
    major, minor, patch = map(int, cargo)
    assert jogg.version() == "jogg/%d.%d.%d" % (major, minor, patch)
    assert jogg.version_number() == major * 1000000 + minor * 1000 + patch
    assert macros["JOGG_VERSION_STRING"] == '"%d.%d.%d"' % (major, minor, patch)
    assert int(macros["JOGG_VERSION_NUMBER"]) == jogg.version_number()
    # The installed distribution (the wheel's metadata) carries the library's version.
    assert importlib.metadata.version("jogg") == "%d.%d.%d" % (major, minor, patch)


def test_the_library_loaded_is_jogg_lib_else_the_one_inside_the_package():
    """What a pip-installed jogg relies on: with no environment variable, the wheel's own copy."""
    package = os.path.dirname(os.path.abspath(jogg.__file__))
    expected = os.environ.get("JOGG_LIB") or os.path.join(package, jogg._library.FILE_NAME)
    assert jogg._library.path == expected
    assert os.path.isfile(os.path.join(package, "py.typed"))


def test_config_error_names_the_member():
    with pytest.raises(jogg.JoggError) as info:
        jogg.Client({"bogus": 1})
    e = info.value
    assert (e.code, e.name, e.field) == (6, "JOGG_ERR_INVALID_CONFIG", "bogus")
    assert "bogus" in str(e) and e.request_id is None


def test_post_limit_scope_from_config(tmp_path):
    """The POST limit's scope travels in the config dict like any member."""
    with pytest.raises(jogg.JoggError) as info:
        jogg.Client({"post_limit_scope": "cluster"})
    assert (info.value.name, info.value.field) == ("JOGG_ERR_INVALID_CONFIG", "post_limit_scope")
    config = {"proxy": "none", "post_limit_scope": "host", "post_limit_dir": str(tmp_path / "locks")}
    with jogg.Client(config) as shared:
        create_video(shared, "Counted in a host-wide state file.")
    # A directory that cannot be made: the create fails naming it, before anything is sent.
    (tmp_path / "file").write_text("x")
    with jogg.Client(dict(config, post_limit_dir=str(tmp_path / "file"))) as broken:
        with pytest.raises(jogg.JoggError) as info:
            broken.create_talking_avatar_video(talking_request(broken, "never sent"))
    assert (info.value.name, info.value.field) == ("JOGG_ERR_LIMITER_STORE", "post_limit_scope")
    assert str(tmp_path / "file") in str(info.value)


def test_validation_happens_before_sending(client):
    with pytest.raises(jogg.JoggError) as info:
        client.create_talking_avatar_video({"script": "hi", "voice_id": "v", "avtar_id": 1, "avatar_type": 0})
    assert (info.value.name, info.value.field, info.value.request_id) == ("JOGG_ERR_VALIDATION", "avtar_id", None)


def test_arguments_are_checked_as_the_c_library_checks_its_own(client):
    """None where a value is required, a wrong type, a NUL character: a JoggError naming the
    argument, as the C layer gives for NULL or bad input, never an AttributeError from deep
    inside the package."""
    cases = [
        (lambda: client.wait_for_project(None), "JOGG_ERR_NULL_ARGUMENT", "project_id"),
        (lambda: client.get_project(None), "JOGG_ERR_NULL_ARGUMENT", "project_id"),
        (lambda: client.create_talking_avatar_video(None), "JOGG_ERR_NULL_ARGUMENT", "request"),
        (lambda: client.get_project(42), "JOGG_ERR_VALIDATION", "project_id"),
        (lambda: client.get_project("a\0b"), "JOGG_ERR_VALIDATION", "project_id"),
        (lambda: client.get_project("\ud800"), "JOGG_ERR_INVALID_UTF8", "project_id"),
        (lambda: client.call(None), "JOGG_ERR_NULL_ARGUMENT", "operation"),
        (lambda: client.call("v1.list_voices", ["page", 1]), "JOGG_ERR_VALIDATION", "request"),
        (lambda: client.list_voices({"page": object()}), "JOGG_ERR_VALIDATION", "filters"),
        (lambda: client.wait("v1.get_project", 7), "JOGG_ERR_VALIDATION", "task_id"),
        (lambda: client.wait_many(None), "JOGG_ERR_NULL_ARGUMENT", "tasks"),
        (lambda: client.wait_for_project("p", progress=3), "JOGG_ERR_VALIDATION", "progress"),
        (lambda: client.upload_asset(None), "JOGG_ERR_NULL_ARGUMENT", "path"),
        (lambda: client.download("http://127.0.0.1:9/x", 5), "JOGG_ERR_VALIDATION", "path"),
        (lambda: jogg.webhook_verify(b"{}", None, None), "JOGG_ERR_NULL_ARGUMENT", "secret"),
        (lambda: jogg.webhook_parse(3, None, "s"), "JOGG_ERR_VALIDATION", "body"),
        (lambda: jogg.Client({"proxy": "none"}, log="print"), "JOGG_ERR_VALIDATION", "log"),
    ]
    for call, name, field in cases:
        with pytest.raises(jogg.JoggError) as info:
            call()
        e = info.value
        assert (e.name, e.field, e.fields) == (name, field, [field]), e
        assert jogg.code_name(e.code) == name
        assert str(e).startswith("%s: %s: " % (name, field)), str(e)


def test_every_missing_member_is_named_at_once(client):
    with pytest.raises(jogg.JoggError) as info:
        client.create_talking_avatar_video({"script": "Hello"})
    e = info.value
    assert e.name == "JOGG_ERR_VALIDATION" and e.field == "screen_style"
    assert e.fields == ["screen_style", "avatar_id", "avatar_type", "voice_id"]


def test_named_lists_take_all_pages_and_any_case_of_a_language(client):
    every = client.list_voices({"language": "English", "page_size": 3, "all_pages": True})
    assert every["pages"] > 1
    assert len(every["voices"]) > 3
    assert {v["language"] for v in every["voices"]} == {"english"}
    first = client.list_voices({"language": "english", "page_size": 3})
    assert every["voices"][:3] == first["voices"]


def test_api_errors_carry_request_id_not_the_key(client):
    with pytest.raises(jogg.JoggError) as info:
        client.get_project("no-such-project")
    assert info.value.name == "JOGG_ERR_NOT_FOUND" and info.value.code == 202
    assert info.value.request_id and info.value.request_id in str(info.value)

    key = "sentinel-key-51ab"
    with jogg.Client({"proxy": "none", "api_key": key}) as wrong:
        with pytest.raises(jogg.JoggError) as info:
            wrong.list_voices()
    assert info.value.name == "JOGG_ERR_AUTH" and info.value.request_id
    assert key not in str(info.value.json) and key not in str(info.value)


def test_create_and_wait_with_progress(client):
    project_id = create_video(client, "Hello from Python")
    events = []
    project = client.wait_for_project(project_id, WAIT, progress=events.append)  # returns None: continue
    assert project["status_code"] == 4
    assert project["video_url"].startswith("http://127.0.0.1:")
    assert events and all(e["id"] == project_id for e in events)
    assert events[-1]["status"] == "succeeded"
    assert [e["polls"] for e in events] == list(range(1, len(events) + 1))
    assert client.wait_for_project(project_id, WAIT)["status_code"] == 4  # no callback


def test_progress_returning_false_cancels(client):
    project_id = create_video(client, "cancelled")
    calls = []
    with pytest.raises(jogg.JoggError) as info:
        client.wait_for_project(project_id, WAIT, progress=lambda e: calls.append(e) or False)
    assert info.value.name == "JOGG_ERR_CANCELLED" and info.value.task_id == project_id
    assert len(calls) == 1


def test_exception_in_progress_is_reraised_after_the_call(client):
    project_id = create_video(client, "raised")
    calls = []

    def progress(event):
        calls.append(event)
        raise KeyError("stop here")

    with pytest.raises(KeyError, match="stop here"):
        client.wait_for_project(project_id, WAIT, progress=progress)
    assert len(calls) == 1
    assert client.get_project(project_id)["id"] == project_id  # the client is still fine


def test_threads_share_one_client(client):
    results, errors = [], []

    def work():
        for _ in range(3):
            try:
                results.append(client.list_voices({"page_size": 2})["voices"])
            except jogg.JoggError as e:
                errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(results) == 24


def test_closed_client_refuses_calls():
    c = jogg.Client({"proxy": "none"})
    c.close()
    c.close()  # twice is fine
    with pytest.raises(ValueError, match="closed"):
        c.list_voices()


def test_every_returned_string_is_freed(client, monkeypatch):
    """Each call yields exactly one string (result or error); the module frees each once."""
    produced, freed = [], []
    real_free = jogg._lib.jogg_string_free

    def counting_free(pointer):
        freed.append(pointer)
        real_free(pointer)

    def recording(name):
        real = getattr(jogg._lib, name)

        def call(*args):
            code = real(*args)
            out, err = args[-2]._obj.value, args[-1]._obj.value  # the byref() slots
            produced.extend(p for p in (out, err) if p)
            return code

        return call

    for name in ("jogg_list_voices", "jogg_get_project", "jogg_create_talking_avatar_video",
                 "jogg_wait_for_project", "jogg_list_avatars"):
        monkeypatch.setattr(jogg._lib, name, recording(name))
    monkeypatch.setattr(jogg._lib, "jogg_string_free", counting_free)

    project_id = create_video(client, "counted")
    client.wait_for_project(project_id, WAIT, progress=lambda e: None)
    with pytest.raises(jogg.JoggError):
        client.get_project("no-such-project")
    with pytest.raises(jogg.JoggError):
        client.create_talking_avatar_video({"avtar_id": 1})
    assert len(produced) == 6
    assert sorted(p for p in freed if p) == sorted(produced)


def test_call_any_operation_by_name(client):
    names = {op["name"] for op in jogg.operations()}
    assert {"v1.get_project", "v2.get_current_user", "v2.list_voices"} <= names
    assert client.call("v2.get_current_user")["username"] == "jogg-mock"
    page = client.call("v2.list_voices", {"page_size": 2})
    assert len(page["voices"]) == 2
    every = client.call("v2.list_voices", {"all_pages": True})
    assert every["pages"] >= 1 and len(every["voices"]) >= len(page["voices"])
    with pytest.raises(jogg.JoggError) as info:
        client.call("v9.nothing")
    assert info.value.name == "JOGG_ERR_UNKNOWN_OPERATION"


def test_wait_for_any_task_and_for_many(client):
    first, second = create_video(client, "one"), create_video(client, "two")
    events = []
    done = client.wait("v1.get_project", first, WAIT, progress=events.append)
    assert (done["id"], done["status"]) == (first, "succeeded")
    assert done["task"]["status_code"] == 4 and events[-1]["status"] == "succeeded"
    results = client.wait_many(
        [{"operation": "v1.get_project", "id": second}, {"operation": "v1.get_project", "id": "no-such-project"}],
        WAIT,
    )
    assert [r["id"] for r in results] == [second, "no-such-project"]
    assert results[0]["ok"] and results[0]["result"]["task"]["status_code"] == 4
    assert not results[1]["ok"] and results[1]["error"]["name"] == "JOGG_ERR_NOT_FOUND"


def test_call_and_wait_and_generate(client):
    request = talking_request(client, "created and awaited")
    done = client.call_and_wait("v1.create_video_from_talking_avatar", request, WAIT)
    assert done["status"] == "succeeded" and done["created"]["project_id"] == done["id"]
    events = []
    project = client.generate_talking_avatar_video(request, WAIT, progress=events.append)
    assert project["status_code"] == 4 and project["video_url"].startswith("http://127.0.0.1:")
    assert events and events[-1]["status"] == "succeeded"


def test_upload_then_download(client, tmp_path):
    source, target = tmp_path / "clip.mp4", tmp_path / "copy.mp4"
    data = bytes(range(256)) * 400
    source.write_bytes(data)
    sent = []
    uploaded = client.upload_asset(str(source), {"version": "v1"}, progress=sent.append)
    assert (uploaded["bytes"], uploaded["content_type"]) == (len(data), "video/mp4")
    assert sent[0]["bytes"] == 0 and sent[-1] == {"bytes": len(data), "total": len(data)}
    with pytest.raises(jogg.JoggError) as info:
        client.upload_asset(str(source), None, progress=lambda event: False)
    assert info.value.name == "JOGG_ERR_CANCELLED"
    events = []
    done = client.download(uploaded["asset_url"], str(target), progress=events.append)
    assert done["bytes"] == len(data) and target.read_bytes() == data
    assert events and events[-1]["bytes"] == len(data)
    with pytest.raises(jogg.JoggError) as info:
        client.upload_asset(str(tmp_path / "missing.png"))
    assert (info.value.code, info.value.name, info.value.field) == (400, "JOGG_ERR_IO", "path")


# RFC 4231 test case 2, and a v2 failure event signed with "whsec_test" (as tests/c/test_abi.c).
RFC_BODY = b"what do ya want for nothing?"
RFC_SIG = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
EVENT_BODY = (
    b'{"event_id":"evt_c","event":"generated_avatar_video_failed","timestamp":1732806631,'
    b'"data":{"video_id":"v-9","status":"failed","error":{"code":50000,"message":"render crashed"}}}'
)
EVENT_SIG = "eebcc71e5d2172437926ac3fa2609c833f84eeb508b8954e378881e4ae1ee146"


def test_webhook_verify_and_parse():
    assert jogg.webhook_verify(RFC_BODY, RFC_SIG, "Jefe") is True
    assert jogg.webhook_verify(RFC_BODY, RFC_SIG.upper(), "Jefe") is True
    assert jogg.webhook_verify(RFC_BODY + b" ", RFC_SIG, "Jefe") is False
    assert jogg.webhook_verify(RFC_BODY, None, "Jefe") is False
    with pytest.raises(jogg.JoggError) as info:
        jogg.webhook_verify(RFC_BODY, RFC_SIG, "")
    assert info.value.name == "JOGG_ERR_VALIDATION"
    event = jogg.webhook_parse(EVENT_BODY, EVENT_SIG, "whsec_test")
    assert (event["task_kind"], event["id"], event["status"]) == ("avatar_video", "v-9", "failed")
    assert event["error"] == "render crashed" and event["event_id"] == "evt_c"
    with pytest.raises(jogg.JoggError) as info:
        jogg.webhook_parse(EVENT_BODY, EVENT_SIG, "whsec_other")
    assert (info.value.code, info.value.name) == (401, "JOGG_ERR_SIGNATURE")


def test_webhook_deliver_wakes_the_waits_and_refuses_forgeries(client):
    with jogg.Client({"proxy": "none", "webhook_secrets": ["whsec_test"]}) as receiving:
        delivered = receiving.webhook_deliver(EVENT_BODY, EVENT_SIG)
        assert (delivered["id"], delivered["duplicate"], delivered["woken"]) == ("v-9", False, 0)
        assert receiving.webhook_deliver(EVENT_BODY, EVENT_SIG)["duplicate"] is True
        for body, signature, client_, name in [
            (EVENT_BODY, None, receiving, "JOGG_ERR_SIGNATURE"),
            (EVENT_BODY, RFC_SIG, receiving, "JOGG_ERR_SIGNATURE"),
            (EVENT_BODY, EVENT_SIG, client, "JOGG_ERR_SIGNATURE"),  # knows no secret
            (b" " * (256 * 1024 + 1), EVENT_SIG, receiving, "JOGG_ERR_BODY_TOO_LARGE"),
        ]:
            with pytest.raises(jogg.JoggError) as info:
                client_.webhook_deliver(body, signature)
            assert info.value.name == name
        # The delivery came before the wait: it ends at once, as the event says (the mock
        # knows no v-9: a poll would fail with JOGG_ERR_NOT_FOUND).
        sources = []
        with pytest.raises(jogg.JoggError) as info:
            receiving.wait("v2.get_avatar_video", "v-9", progress=lambda e: sources.append(e["source"]))
        assert (info.value.name, info.value.task_id, sources) == ("JOGG_ERR_TASK_FAILED", "v-9", ["webhook"])


def test_create_webhook_endpoint(client):
    endpoint = client.create_webhook_endpoint(
        {"url": "https://example.com/hook", "events": ["generated_video_success"]}
    )
    assert endpoint["endpoint_id"] and len(endpoint["secret"]) >= 8 and endpoint["status"] == "enabled"
    with pytest.raises(jogg.JoggError) as info:
        client.create_webhook_endpoint({"events": []})
    assert (info.value.name, info.value.field) == ("JOGG_ERR_VALIDATION", "url")


def test_log_callback_gets_lines_without_the_key():
    lines, lock = [], threading.Lock()

    def log(level, line):
        with lock:
            lines.append((level, line))

    with jogg.Client({"proxy": "none"}, log=log) as c:
        assert c.list_voices({"page_size": 1})["voices"]
    key = os.environ["JOGG_API_KEY"]
    levels = {level for level, _ in lines}
    assert levels == {jogg.LOG_INFO, jogg.LOG_DEBUG}  # no "log" in the config: debug, so both
    assert all(isinstance(line, str) for _, line in lines)
    assert any("/v1/voices" in line for _, line in lines), lines
    assert key and not any(key in line for _, line in lines)
    assert c._log_callback is None  # let go once the client is freed
    with pytest.raises(jogg.JoggError) as info:
        jogg.Client({"log": "loud"}, log=log)
    assert (info.value.name, info.value.field) == ("JOGG_ERR_INVALID_CONFIG", "log")


def test_exception_in_log_callback_is_dropped(capfd):
    calls = []

    def log(level, line):
        calls.append(level)
        raise RuntimeError("not here")

    with jogg.Client({"proxy": "none", "log": "info"}, log=log) as c:
        assert c.list_voices({"page_size": 1})["voices"]
        assert c.get_project(create_video(c, "logged")) is not None
    assert calls == [jogg.LOG_INFO] * 5  # list_voices; list_avatars, list_voices, create; get
    assert "not here" not in capfd.readouterr().err  # ctypes never saw it


@pytest.fixture
def tls_mock():
    """`jogg-mock --tls`: its base URL and the file of its CA certificate, from the two
    lines it prints on stderr."""
    mock = subprocess.Popen([mock_binary(), "--tls", "--render-ms", "300"], stderr=subprocess.PIPE, text=True)
    base = ca = None
    while base is None:
        line = mock.stderr.readline()
        assert line, "jogg-mock --tls printed no address"
        if line.startswith("jogg-mock CA certificate: "):
            ca = line.split(": ", 1)[1].strip()
        elif line.startswith("jogg-mock listening on "):
            base = line.split()[-1]
    yield base, ca
    mock.kill()
    mock.wait()


def test_ca_file_and_tls_roots_reach_the_library(tls_mock):
    base, ca = tls_mock
    assert base.startswith("https://") and ca
    config = {"api_key": "jogg-mock-key", "base_url": base, "proxy": "none"}
    with jogg.Client(dict(config, ca_file=ca, tls_roots="ca_file_only")) as trusting:
        assert trusting.list_voices()["voices"]
    with jogg.Client(dict(config, tls_roots="bundled")) as untrusting:
        with pytest.raises(jogg.JoggError) as refused:
            untrusting.list_voices()
    assert refused.value.name == "JOGG_ERR_TLS"
    assert refused.value.json["retryable"] is False
    assert "unknown issuer" in refused.value.message
    assert base[len("https://"):] in refused.value.message
    with pytest.raises(jogg.JoggError) as bad:
        jogg.Client(dict(config, tls_roots="ca_file_only"))
    assert bad.value.name == "JOGG_ERR_INVALID_CONFIG" and bad.value.field == "tls_roots"


# A POST limiter store of the caller's own: Client(config, post_limiter=store).

A_CREATE = {"script": "Hello!", "avatar_id": 81, "avatar_type": 0,
            "voice_id": "en-US-ChristopherNeural", "screen_style": 1}


@pytest.fixture
def start_mock():
    """Starts jogg-mocks of the test's own with the given options (a POST limit, faults...):
    each call returns one's base URL. They are stopped when the test ends."""
    mocks = []

    def start(*args):
        mock = subprocess.Popen([mock_binary(), *args], stderr=subprocess.PIPE, text=True)
        mocks.append(mock)
        line = mock.stderr.readline()  # "jogg-mock listening on http://127.0.0.1:PORT"
        assert line.startswith("jogg-mock listening on "), line
        return line.split()[-1]

    yield start
    for mock in mocks:
        mock.kill()
        mock.wait()


def mock_posts(base):
    """The POSTs the mock at `base` received, from its control API (no proxy: it is loopback)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(base + "/_mock/requests?method=POST") as reply:
        log = json.load(reply)
    assert log["count"] == len(log["requests"])
    return log["requests"]


def limited_config(base, **more):
    """A client of the mock at `base`, paced at 3 POSTs a second as the mock counts them, with no
    retry: a 429 would fail the create instead of being waited out."""
    return dict({"base_url": base, "api_key": "jogg-mock-key", "proxy": "none", "max_retries": 0,
                 "timeout_ms": 5000, "post_limit": 3, "post_window_ms": 1000}, **more)


class MemoryStore:
    """A store of the caller's own: a sliding log of slots in memory, as a program would keep
    in a database, with a record of what it was asked."""

    def __init__(self):
        self.lock = threading.Lock()
        self.expiry = {}  # slot id: monotonic time until which it is held
        self.paused_to = 0.0
        self.acquired, self.released, self.cooldowns = [], [], []
        self.waits = 0
        self.fail_with = None  # acquire raises it when set

    def acquire(self, slot):
        with self.lock:
            if self.fail_with is not None:
                raise self.fail_with
            now = time.monotonic()
            if now < self.paused_to:
                self.waits += 1
                return (self.paused_to - now) * 1000
            self.expiry = {i: t for i, t in self.expiry.items() if t > now}
            if len(self.expiry) >= slot.limit:
                self.waits += 1
                return (min(self.expiry.values()) - now) * 1000
            self.expiry[slot.id] = now + slot.hold_ms / 1000
            self.acquired.append(slot)
            return 0

    def release(self, slot):
        with self.lock:
            if slot.id in self.expiry:
                self.expiry[slot.id] = time.monotonic() + slot.hold_ms / 1000
            self.released.append(slot)

    def cooldown(self, key_id, pause_ms):
        with self.lock:
            self.paused_to = max(self.paused_to, time.monotonic() + pause_ms / 1000)
            self.cooldowns.append((key_id, pause_ms))


def test_clients_share_a_store_of_their_own(start_mock):
    # Together the two clients keep to the mock's 3 POSTs a second; counting apart (3 each)
    # they would not.
    base = start_mock("--render-ms", "300", "--post-limit", "3", "--post-window-ms", "1000")
    store = MemoryStore()
    with jogg.Client(limited_config(base), post_limiter=store) as a, \
            jogg.Client(limited_config(base), post_limiter=store) as b:
        errors = []

        def create(client):
            try:
                client.create_talking_avatar_video(A_CREATE)
            except jogg.JoggError as e:  # a 429 among them: max_retries is 0
                errors.append(e)

        workers = [threading.Thread(target=create, args=(c,)) for c in (a, b) * 3]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        assert a._store is not None
    assert errors == []
    assert a._store is None and b._store is None  # let go once the clients are freed
    posts = mock_posts(base)
    # The mock answers its own rate limit as the API does: HTTP 200, the envelope's code 429.
    assert [(p["http_status"], p["api_code"]) for p in posts] == [(200, 0)] * 6
    assert len(store.acquired) == 6 and store.waits >= 1, "the two clients did not count together"
    assert sorted(s.id for s in store.released) == sorted(s.id for s in store.acquired)
    assert len({s.id for s in store.acquired}) == 6
    assert {(s.key_id, s.limit, s.hold_ms) for s in store.acquired} == {(store.acquired[0].key_id, 3, 6020)}
    assert re.fullmatch("[0-9a-f]{32}", store.acquired[0].key_id)
    assert {s.hold_ms for s in store.released} == {1020}  # window + margin; the lease above adds the timeout
    assert store.cooldowns == []


def test_failing_store_raises_limiter_store_from_its_exception(start_mock):
    base = start_mock("--render-ms", "300")
    store = MemoryStore()
    store.fail_with = ConnectionError("the coordination service is offline")
    with jogg.Client(limited_config(base), post_limiter=store) as client:
        with pytest.raises(jogg.JoggError) as info:
            client.create_talking_avatar_video(A_CREATE)
        assert (info.value.name, info.value.field) == ("JOGG_ERR_LIMITER_STORE", "post_limit_scope")
        assert "jogg_client_new_with_post_limiter" in info.value.message
        assert info.value.__cause__ is store.fail_with
        # A bad answer is a failure too.
        store.fail_with = None
        store.acquire = lambda slot: "soon"
        with pytest.raises(jogg.JoggError) as info:
            client.create_talking_avatar_video(A_CREATE)
        assert info.value.name == "JOGG_ERR_LIMITER_STORE"
        assert isinstance(info.value.__cause__, TypeError) and "'soon'" in str(info.value.__cause__)
        # GETs do not ask the store, nor carry an old failure.
        with pytest.raises(jogg.JoggError) as info:
            client.get_project("none")
        assert info.value.__cause__ is None
    assert mock_posts(base) == []  # nothing was sent
    # With post_limit_fallback "process", the POST is counted in the process instead.
    store.acquire = lambda slot: 1 / 0
    with jogg.Client(limited_config(base, post_limit_fallback="process"), post_limiter=store) as client:
        assert client.create_talking_avatar_video(A_CREATE)["project_id"]


def test_store_cooldown_on_a_429(start_mock):
    base = start_mock("--render-ms", "300", "--fault", "POST * http429;retry_after=2;times=1")
    store = MemoryStore()
    with jogg.Client(limited_config(base), post_limiter=store) as client:
        with pytest.raises(jogg.JoggError) as info:
            client.create_talking_avatar_video(A_CREATE)
    assert info.value.name == "JOGG_ERR_RATE_LIMITED" and info.value.json["retry_after_ms"] == 2000
    assert len(store.acquired) == 1 and len(store.released) == 1
    assert store.cooldowns == [(store.acquired[0].key_id, 2000)]


def test_post_limiter_arguments_are_checked():
    class NoRelease:
        def acquire(self, slot):
            return 0

    with pytest.raises(jogg.JoggError) as info:
        jogg.Client({"proxy": "none"}, post_limiter=NoRelease())
    assert (info.value.name, info.value.field) == ("JOGG_ERR_VALIDATION", "post_limiter")
    assert "no release" in info.value.message
    with pytest.raises(jogg.JoggError) as info:
        jogg.Client({"proxy": "none"}, log=print, post_limiter=MemoryStore())
    assert (info.value.name, info.value.field) == ("JOGG_ERR_VALIDATION", "post_limiter")
    with pytest.raises(jogg.JoggError) as info:
        jogg.Client({"proxy": "none", "post_limit_scope": "host"}, post_limiter=MemoryStore())
    assert (info.value.name, info.value.field) == ("JOGG_ERR_INVALID_CONFIG", "post_limit_scope")
