# Four worker processes on one API key: the "host" scope makes them share its 20 POSTs a
# minute, so none is answered 429. Key and base URL come from JOGG_API_KEY and JOGG_BASE_URL.
import multiprocessing
import jogg

# Between hosts: {"post_limit_scope": "redis://10.0.0.5:6379/0"}.
CONFIG = {"post_limit_scope": "host"}
REQUEST = {"script": "Hello!", "avatar_id": 81, "avatar_type": 0,
           "voice_id": "en-US-ChristopherNeural", "screen_style": 1}


def worker(jobs):
    with jogg.Client(CONFIG) as client:  # one client per process, made in the process
        return [client.create_talking_avatar_video(REQUEST)["project_id"] for _ in range(jobs)]


if __name__ == "__main__":
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        for n, ids in enumerate(pool.map(worker, [5] * 4)):
            print("worker %d: %s" % (n, " ".join(ids)))
