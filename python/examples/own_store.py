# Two worker threads, each with a client of its own, count their POSTs in one store of their
# own. This one keeps its slots in memory; kept in a database or a service of yours instead, it
# shares the key's limit between processes and hosts. Key and base URL come from JOGG_API_KEY
# and JOGG_BASE_URL.
import threading
import time
import jogg

REQUEST = {"script": "Hello!", "avatar_id": 81, "avatar_type": 0,
           "voice_id": "en-US-ChristopherNeural", "screen_style": 1}


class MemoryStore:  # a jogg.PostSlotStore; one key here, else keep each slot.key_id apart
    def __init__(self):
        self.lock = threading.Lock()
        self.expiry = {}  # slot id: time.monotonic() until which it is held
        self.paused_to = 0.0  # no slot before then: a 429's Retry-After

    def acquire(self, slot):  # 0 or None: taken; else ms to wait before asking again
        with self.lock:
            now = time.monotonic()
            if now < self.paused_to:
                return (self.paused_to - now) * 1000
            self.expiry = {i: t for i, t in self.expiry.items() if t > now}
            if len(self.expiry) >= slot.limit:
                return (min(self.expiry.values()) - now) * 1000
            self.expiry[slot.id] = now + slot.hold_ms / 1000
            return 0

    def release(self, slot):
        with self.lock:
            self.expiry[slot.id] = time.monotonic() + slot.hold_ms / 1000

    def cooldown(self, key_id, pause_ms):  # optional
        with self.lock:
            self.paused_to = max(self.paused_to, time.monotonic() + pause_ms / 1000)


def worker(store, created, n):
    with jogg.Client({}, post_limiter=store) as client:
        created[n] = client.create_talking_avatar_video(REQUEST)["project_id"]


if __name__ == "__main__":
    store, created = MemoryStore(), {}
    workers = [threading.Thread(target=worker, args=(store, created, n)) for n in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    for n, project_id in sorted(created.items()):
        print("worker %d: %s" % (n, project_id))
