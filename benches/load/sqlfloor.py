#!/usr/bin/env python3
"""The SQL floor of a page: the statements one view of the page sends, replayed by pgbench.

    sqlfloor.py capture LOG DB URL COOKIE OUT
        Views URL (with the session COOKIE) on a server whose connections log every statement
        (log_min_duration_statement = 0), and writes the statements of the second view, with
        their parameters filled in, to OUT as a pgbench script: one transaction per page view.
    sqlfloor.py run SCRIPT DATABASE_URL CLIENTS DURATION_S
        Replays SCRIPT with pgbench (CLIENTS connections, simple protocol) and prints
        "RESULT views/s p50 p99" of the replayed page views.

What the floor leaves out: rendering, HTTP, the session cookie's parsing, the pool, and the
statements a connection runs once when it opens.
"""
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
STATEMENT = re.compile(r"duration: [\d.]+ ms\s+(?:statement|execute [^:]*): (.*)$", re.S)
PID = re.compile(r"^\S+ \S+ \S+ \[(\d+)\]")
PARAM = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')")


def view(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        reply.read()


def entries(text, db):
    """The log's entries (a line and its tab-indented continuation lines) from database db."""
    current = None
    for line in text.splitlines():
        if ENTRY.match(line):
            if current:
                yield current
            current = line if f"@{db} " in line else None
        elif current is not None:
            current += "\n" + line
    if current:
        yield current


def fill(sql, params):
    """Puts each parameter's literal in place of $n (outside string literals)."""
    out, i = [], 0
    while i < len(sql):
        c = sql[i]
        if c == "'":
            j = i + 1
            while j < len(sql):
                if sql[j] == "'" and not (j + 1 < len(sql) and sql[j + 1] == "'"):
                    break
                j += 2 if sql[j] == "'" else 1
            out.append(sql[i : j + 1])
            i = j + 1
            continue
        m = re.match(r"\$(\d+)", sql[i:])
        if c == "$" and m and m.group(1) in params:
            out.append(params[m.group(1)])
            i += len(m.group(0))
            continue
        out.append(c)
        i += 1
    return "".join(out)


def capture(log, db, url, cookie, out):
    view(url, cookie)  # warm what the server caches
    time.sleep(0.3)
    start = os.path.getsize(log)
    view(url, cookie)
    time.sleep(0.5)
    with open(log, encoding="utf-8", errors="replace") as f:
        f.seek(start)
        text = f.read()
    # Connections write their lines interleaved: a statement's parameters (the DETAIL line
    # after it) belong to the last statement of the same backend.
    statements, last_of = [], {}
    for entry in entries(text, db):
        pid = PID.search(entry)
        pid = pid.group(1) if pid else ""
        if " LOG:  " in entry:
            # parse and bind steps are logged too, with their own parameters: only the
            # execution of a statement counts.
            m = STATEMENT.search(entry)
            last_of[pid] = None
            if m:
                statements.append([m.group(1), {}])
                last_of[pid] = statements[-1]
        elif " DETAIL:  parameters: " in entry and last_of.get(pid):
            last_of[pid][1] = dict(PARAM.findall(entry))
    lines = []
    for sql, params in statements:
        sql = " ".join(fill(sql, params).split())
        if sql.lower() in ("begin", "commit", "rollback"):
            continue  # pgbench's transaction is the page view; keep statements on their own
        if "email_outbox" in sql:
            continue  # the server's mail worker, polling beside the page
        lines.append(sql.rstrip(";") + ";")
    pathlib.Path(out).write_text("\n".join(lines) + "\n")
    print(f"{len(lines)} statements")


def run(script, database_url, clients, seconds):
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "views")
        result = subprocess.run(
            ["pgbench", "-n", "-M", "simple", "-c", str(clients), "-j", "2", "-T", str(seconds),
             "-f", script, "-l", "--log-prefix", prefix, database_url],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            error = (result.stderr.strip().splitlines() or ["pgbench failed"])[-1]
            print(f"RESULT failed: {error}")
            return
        latencies = []
        for log in pathlib.Path(tmp).glob("views*"):
            for line in log.read_text().splitlines():
                fields = line.split()
                latencies.append(int(fields[2]) / 1000)
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    print(f"RESULT {len(latencies) / seconds:.0f}/s p50={p(0.5):.1f}ms p99={p(0.99):.1f}ms")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "capture":
        capture(*args)
    elif command == "run":
        run(args[0], args[1], int(args[2]), int(args[3]))
    else:
        sys.exit(__doc__)
