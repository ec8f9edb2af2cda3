#!/usr/bin/env python3
"""Mixed-traffic driver of the HTTP soak (bench/http/soak.sh, docs/PERFORMANCE.md "Soak").

Keep-alive clients (threads, http.client) send for SECONDS: create + decide of small
recruitments, decisions pages, compliance of the demo agencies, the annual report, receipts,
/healthz, and bad requests (404, 401, 405, 400, 415, a bad percent-encoding). Every few seconds
it samples the server's VmRSS from /proc/PID/status. At the end it prints the counts by status,
RSS at 10% of the run and at the end, and exits 1 when a response was 5xx (or a transport
error) or the end RSS is more than 10% above the 10% sample.
usage: soak.py PORT PID SECONDS TOKENS.json   (TOKENS: {"soak", "auditor", "agencies": {code: token}})
"""
import http.client
import json
import random
import sys
import threading
import time

port, pid, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
tokens = json.load(open(sys.argv[4]))
CLIENTS = 4
SAMPLE_EVERY = 3.0
YEAR = 2018


def rss_kib():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def small_case(rid, n=20):
    applicants = []
    for i in range(n):
        applicants.append({
            "id": f"{rid}-{i:03d}",
            "education": [{"level": "university", "region": "busan" if i % 4 == 0 else "seoul",
                           "status": "graduated"}],
            "scores": {"written": f"{55 + (i * 37) % 45}", "interview": f"{60 + (i * 53) % 40}"},
        })
    return json.dumps({
        "format": "quota-case/1",
        "agency": {"code": "SOAK", "region": "busan", "designated": 2018},
        "recruitment": {"id": rid, "announced": f"{YEAR}-03-06"},
        "programs": ["kr-innovation-city"],
        "units": [{"id": "U1", "field": "office", "planned": 4,
                   "stages": [{"name": "written", "planned": 10, "threshold": {"min_score": "60"}},
                              {"name": "interview", "planned": 4, "threshold": {"min_score": "70"}}],
                   "applicants": applicants}],
    })


lock = threading.Lock()
statuses = {}
errors = []
five_xx = []
created = []  # decided SOAK recruitment ids
counter = [0]


class Client:
    def __init__(self):
        self.conn = None

    def request(self, method, path, body=None, token=None, ctype=None, headers=None):
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        if ctype:
            h["Content-Type"] = ctype
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                break
            except (http.client.HTTPException, OSError) as e:
                if self.conn:
                    self.conn.close()
                self.conn = None
                if attempt == 1:  # a keep-alive connection the server closed is retried once
                    with lock:
                        errors.append(f"{method} {path}: {e!r}")
                    return 0, b""
        with lock:
            statuses[r.status] = statuses.get(r.status, 0) + 1
            if r.status >= 500:
                five_xx.append(f"{r.status} {method} {path}: {data[:200]!r}")
        return r.status, data


def one_round(c, rng, demo):
    kind = rng.choices(
        ["create", "decisions", "compliance", "report", "receipt", "healthz", "list", "bad"],
        [3, 3, 4, 1, 1, 4, 3, 3])[0]
    if kind == "create":
        with lock:
            counter[0] += 1
            rid = f"SOAK-{counter[0]:06d}"
        st, _ = c.request("POST", "/v1/recruitments", small_case(rid), tokens["soak"],
                          "application/json", {"Idempotency-Key": "k-" + rid})
        if st == 201:
            st, _ = c.request("POST", f"/v1/recruitments/{rid}/decide", None, tokens["soak"])
            if st == 200:
                with lock:
                    created.append(rid)
    elif kind == "decisions":
        with lock:
            rid = rng.choice(created) if created else None
        if rid:
            c.request("GET", f"/v1/recruitments/{rid}/decisions?page_size=5&basis=rank",
                      token=tokens["soak"])
        else:
            r = rng.choice(demo)
            c.request("GET", f"/v1/recruitments/{r['id']}/decisions?page_size=10",
                      token=tokens["auditor"])
    elif kind == "compliance":
        code, tok = rng.choice(list(tokens["agencies"].items()))
        c.request("GET", f"/v1/agencies/{code}/compliance?year={YEAR}", token=tok)
    elif kind == "report":
        c.request("GET", f"/v1/report?year={YEAR}", token=tokens["auditor"])
    elif kind == "receipt":
        r = rng.choice(demo)
        c.request("GET", f"/v1/recruitments/{r['id']}/applicants/{r['applicant']}/receipt",
                  token=tokens["auditor"])
    elif kind == "healthz":
        c.request("GET", "/healthz")
    elif kind == "list":
        code, tok = rng.choice(list(tokens["agencies"].items()))
        c.request("GET", f"/v1/recruitments?agency={code}&year={YEAR}", token=tok)
    else:
        bad = rng.randrange(7)
        if bad == 0:
            c.request("GET", "/v1/nothing-here")
        elif bad == 1:
            c.request("GET", f"/v1/report?year={YEAR}")  # no token
        elif bad == 2:
            c.request("DELETE", "/v1/recruitments", token=tokens["soak"])
        elif bad == 3:
            c.request("POST", "/v1/recruitments", "{not json", tokens["soak"], "application/json")
        elif bad == 4:
            c.request("POST", "/v1/recruitments", "x", tokens["soak"], "text/plain")
        elif bad == 5:
            c.request("GET", "/v1/recruitments/%zz/decisions", token=tokens["soak"])
        else:
            c.request("GET", f"/v1/report?year=abc&year=1", token=tokens["auditor"])


def worker(seed, deadline, demo):
    rng = random.Random(seed)
    c = Client()
    while time.monotonic() < deadline:
        one_round(c, rng, demo)


def main():
    boot = Client()
    # Demo recruitments and one applicant of each, for decisions pages and receipts.
    demo = []
    for code, tok in tokens["agencies"].items():
        st, data = boot.request("GET", f"/v1/recruitments?agency={code}&year={YEAR}", token=tok)
        for r in json.loads(data)["recruitments"][:5]:
            st, page = boot.request("GET", f"/v1/recruitments/{r['id']}/decisions?page_size=1",
                                    token=tok)
            apps = json.loads(page)["applicants"]
            if apps:
                demo.append({"id": r["id"], "applicant": apps[0]["id"]})
    if not demo:
        print("soak: the demo database has no decided recruitments", file=sys.stderr)
        return 2
    start = time.monotonic()
    deadline = start + seconds
    threads = [threading.Thread(target=worker, args=(i, deadline, demo)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    samples = []  # (seconds since start, KiB)
    while time.monotonic() < deadline:
        samples.append((time.monotonic() - start, rss_kib()))
        time.sleep(min(SAMPLE_EVERY, max(0.0, deadline - time.monotonic())))
    for t in threads:
        t.join()
    samples.append((time.monotonic() - start, rss_kib()))
    at10 = next(kib for t, kib in samples if t >= 0.1 * seconds)
    end = samples[-1][1]
    peak = max(kib for _, kib in samples)
    total = sum(statuses.values())
    growth = (end - at10) / at10 * 100
    print(f"soak: {seconds:.0f}s, {CLIENTS} clients, {total} responses "
          f"({total / seconds:.0f}/s), {len(created)} recruitments created and decided")
    print("soak: by status " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    five = sum(v for k, v in statuses.items() if k >= 500)
    print(f"soak: 5xx responses {five}, transport errors {len(errors)}")
    print(f"soak: RSS at the start {samples[0][1]} KiB, at 10% {at10} KiB, at the end {end} KiB ({growth:+.1f}%), peak {peak} KiB, "
          f"{len(samples)} samples")
    with open(sys.argv[4] + ".rss.tsv", "w") as f:
        f.writelines(f"{t:.1f}\t{kib}\n" for t, kib in samples)
    ok = True
    if five_xx or errors:
        ok = False
        print(f"soak: FAIL: {len(five_xx)} 5xx responses, {len(errors)} transport errors",
              file=sys.stderr)
        for line in (five_xx + errors)[:5]:
            print("  " + line, file=sys.stderr)
    if growth > 10:
        ok = False
        print(f"soak: FAIL: RSS grew {growth:.1f}% (limit 10%)", file=sys.stderr)
    print("soak: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


sys.exit(main())
