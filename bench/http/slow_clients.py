#!/usr/bin/env python3
"""Slow and idle clients against `passline serve` (docs/PERFORMANCE.md, "Slow and idle clients").

    slow_clients.py PORT TOKEN [--idle N] [--trickle N] [--requests N] [--every SECONDS]

Measures, in one run, the latency of GET /healthz and of an authenticated GET /v1/recruitments
(a token check and a database read) first with no other client (the reference), then while N
connections send their request head one byte every --every seconds and N more sit idle. A
connection the server closes (the header deadline, the idle timeout) is reopened at once, so the
numbers of slow and idle connections hold for the whole measurement. Each measured request uses
a new connection (accept, the poller, a worker), one at a time.
"""
import argparse
import http.client
import resource
import selectors
import socket
import statistics
import threading
import time


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def measure(port, token, n, timeout=30.0, seconds=0.0):
    """n request pairs, and more until `seconds` have passed."""
    out = {"healthz": [], "auth GET": []}
    failures = 0
    end = time.monotonic() + seconds
    i = 0
    while i < n or time.monotonic() < end:
        i += 1
        for name, path, headers in (("healthz", "/healthz", {}),
                                    ("auth GET", "/v1/recruitments",
                                     {"Authorization": "Bearer " + token})):
            t0 = time.perf_counter()
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                c.request("GET", path, headers=headers)
                r = c.getresponse()
                r.read()
                c.close()
                if r.status != 200:
                    failures += 1
            except OSError:
                failures += 1
            out[name].append((time.perf_counter() - t0) * 1000.0)
    return out, failures


class Crowd:
    """Holds the slow and idle connections on one thread, reopening what the server closes."""

    def __init__(self, port, idle, trickle, every):
        self.port, self.every = port, every
        self.sel = selectors.DefaultSelector()
        self.reopened = {"idle": 0, "trickle": 0}
        self.answers = {}
        self.stop = threading.Event()
        self.trickle = []
        for _ in range(idle):
            self.open("idle")
        for _ in range(trickle):
            self.trickle.append(self.open("trickle"))

    def open(self, kind):
        s = socket.create_connection(("127.0.0.1", self.port))
        s.setblocking(False)
        if kind == "trickle":
            s.send(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        self.sel.register(s, selectors.EVENT_READ, kind)
        return s

    def replace(self, s, kind):
        data = b""
        try:
            data = s.recv(4096)
        except OSError:
            pass
        if data[:12].startswith(b"HTTP/1.1 "):
            code = data[9:12].decode()
            self.answers[code] = self.answers.get(code, 0) + 1
        self.sel.unregister(s)
        s.close()
        self.reopened[kind] += 1
        fresh = self.open(kind)
        if kind == "trickle":
            self.trickle[self.trickle.index(s)] = fresh

    def run(self):
        i = 0
        gap = self.every / max(1, len(self.trickle))
        next_send = time.monotonic()
        while not self.stop.is_set():
            timeout = max(0.0, next_send - time.monotonic())
            for key, _ in self.sel.select(timeout=min(timeout, 0.05)):
                self.replace(key.fileobj, key.data)
            now = time.monotonic()
            while self.trickle and now >= next_send:
                try:
                    self.trickle[i % len(self.trickle)].send(b"x")
                except OSError:
                    pass
                i += 1
                next_send += gap

    def close(self):
        for key in list(self.sel.get_map().values()):
            key.fileobj.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("token")
    ap.add_argument("--idle", type=int, default=1000)
    ap.add_argument("--trickle", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=500)
    ap.add_argument("--every", type=float, default=5.0)
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    ap.add_argument("--seconds", type=float, default=15.0,
                    help="measure with the crowd for at least this long (past the server's "
                         "10 s header deadline, so it closes and the crowd reopens)")
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    measure(a.port, a.token, 20, a.timeout)  # warm up
    ref, ref_fail = measure(a.port, a.token, a.requests, a.timeout)
    t0 = time.monotonic()
    crowd = Crowd(a.port, a.idle, a.trickle, a.every)
    opened = time.monotonic() - t0
    th = threading.Thread(target=crowd.run, daemon=True)
    th.start()
    time.sleep(1.0)
    t1 = time.monotonic()
    loaded, loaded_fail = measure(a.port, a.token, a.requests, a.timeout, a.seconds)
    took = time.monotonic() - t1
    held = len(crowd.sel.get_map())
    crowd.stop.set()
    th.join()
    crowd.close()

    print(f"{a.trickle} trickling (1 byte / {a.every:g} s each) + {a.idle} idle connections, "
          f"opened in {opened:.2f} s; {held} held at the end; reopened after the server closed "
          f"them: {crowd.reopened['trickle']} trickling, {crowd.reopened['idle']} idle; "
          f"answers to the tricklers: {crowd.answers or 'none'}; measured with them for "
          f"{took:.1f} s")
    print(f"{'request (new connection each)':32} {'clients':>22} {'n':>5} {'p50 ms':>8} "
          f"{'p99 ms':>8} {'max ms':>8} {'failed':>6}")
    for label, res, fail in (("alone", ref, ref_fail), ("with slow+idle", loaded, loaded_fail)):
        for name in ("healthz", "auth GET"):
            xs = res[name]
            print(f"{name:32} {label:>22} {len(xs):5d} {statistics.median(xs):8.2f} "
                  f"{percentile(xs, 99):8.2f} {max(xs):8.2f} {fail:6d}")


if __name__ == "__main__":
    main()
