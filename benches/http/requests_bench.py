"""(4) Python requests: one Session (keep-alive), .json() on each reply, no proxies from
the environment. usage: requests_bench.py <base_url> <seconds>"""
import sys
import time

import requests

base, secs = sys.argv[1], float(sys.argv[2])
s = requests.Session()
s.trust_env = False
s.headers.update({"x-api-key": "bench-key-0123456789", "accept": "application/json"})
url = base + "/v1/project"
params = {"project_id": "p_bench"}


def one():
    r = s.get(url, params=params)
    env = r.json()
    if r.status_code != 200 or env["code"] != 0:
        sys.exit("bench: bad reply")
    return env["data"]


for _ in range(200):
    one()
n = 0
t0 = time.monotonic()
while True:
    for _ in range(20):
        one()
    n += 20
    t = time.monotonic() - t0
    if t >= secs:
        break
print(n, f"{t:.6f}")
