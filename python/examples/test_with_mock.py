# A test of your own code with jogg-mock as its test double. Run it as
#     jogg-mock --quiet --render-ms 0 -- python -m pytest test_with_mock.py
# The mock's control API (plain HTTP under /_mock/, no key) resets it and says what the code
# under test sent: here, that it created exactly one video, and that its wait saw success.
import json
import os
import urllib.request

import jogg


def make_video(client, script, wait=None):
    """The code under test: one video from a script, waited for."""
    created = client.create_talking_avatar_video({
        "script": script, "avatar_id": 81, "avatar_type": 0,
        "voice_id": "en-US-ChristopherNeural", "screen_style": 1})
    return client.wait_for_project(created["project_id"], wait)


def mock(method, path):
    """One control request: METHOD /_mock/PATH on the mock of JOGG_BASE_URL."""
    url = os.environ["JOGG_BASE_URL"] + "/_mock/" + path
    with urllib.request.urlopen(urllib.request.Request(url, method=method)) as reply:
        return json.load(reply)


def test_one_video_is_created_and_the_wait_sees_success():
    mock("POST", "reset")
    with jogg.Client() as client:
        # In tests, poll every 50 ms rather than the production schedule's 5 s.
        project = make_video(client, "Hello!", wait={"initial_interval_ms": 50})
    assert project["status_code"] == 4  # success
    creates = mock("GET", "requests?operation=v1.create_video_from_talking_avatar")
    assert creates["count"] == 1
    assert creates["requests"][0]["created"] == project["id"]
