#!/usr/bin/env python3
# The witness's cost per add-checkpoint (docs/PERFORMANCE.md, "Witness"): N sequential POSTs of
# one checkpoint to a running `passline witness serve` on one kept-alive connection (each one
# judged, cosigned, and its state persisted with fsync + rename before the answer), against the
# same client POSTing to `python3 -m http.server` (whose 501 answer does no work), same run.
#   add_checkpoint.py CHECKPOINT_FILE WITNESS_PORT REFERENCE_PORT [N]
import http.client, sys, time

note_file, port, ref_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
n = int(sys.argv[4]) if len(sys.argv) > 4 else 300
note = open(note_file).read()
body, sigs = note.split("\n\n", 1)
note = body + "\n\n" + sigs.splitlines()[0] + "\n"  # the log's own signature only

def post(c, old):
    c.request("POST", "/add-checkpoint", ("old %d\n\n" % old + note).encode())
    r = c.getresponse()
    return r.status, r.read()

c = http.client.HTTPConnection("127.0.0.1", port)
status, answer = post(c, 0)  # learn the size the witness cosigned (409), or cosign the first
old = int(answer) if status == 409 else int(body.split("\n")[1])
t = time.perf_counter()
for _ in range(n):
    status, answer = post(c, old)
    if status != 200:
        sys.exit("the witness answered %d: %r" % (status, answer))
witness = (time.perf_counter() - t) / n
t = time.perf_counter()
for _ in range(n):
    r = http.client.HTTPConnection("127.0.0.1", ref_port)
    r.request("POST", "/add-checkpoint", b"old 0\n\n")
    r.getresponse().read()
reference = (time.perf_counter() - t) / n
print("witness add-checkpoint %.2f ms/request; python http.server 501 %.2f ms/request; ratio %.1fx"
      % (witness * 1e3, reference * 1e3, witness / reference))
