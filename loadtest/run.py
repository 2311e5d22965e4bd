"""A bounded HTTP load test of the registry on loopback (standard library only).

N clients (threads) each log in as a demo user and, until the deadline, pick a request at random,
send it, and think for a while: overview pages, API reads and, for staff, writes of their own
unit's figures for the open month. Prints a table and writes the result as JSON.

    python loadtest/run.py --base http://127.0.0.1:8123 --plan plan.json --clients 50 --duration 60

`--profile reporting-week`: the busiest days, with no think time. Staff save their unit's figures
back to back while leaders and the bureau open the pages they read (home, overview, unit ranking,
progress API by unit, the API list): every page is computed right after a write, since the
figure cache never survives the next save. Target: no error and p95 under 300 ms for every page.

Only loopback addresses are accepted, and clients and duration are capped: it stops by itself.
"""

import argparse
import http.client
import ipaddress
import json
import random
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

MAX_CLIENTS = 200
MAX_DURATION = 600
TARGET_P95_MS = 500
PROFILES = ("default", "reporting-week")
TARGET_P95_MS_BY_PROFILE = {"default": TARGET_P95_MS, "reporting-week": 300}
STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def loopback_only(base: str) -> tuple[str, int]:
    """Host and port of `base`, refusing anything that is not this machine's loopback."""
    parts = urlsplit(base)
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme != "http" or not loopback:
        raise SystemExit(f"refusing {base!r}: the load test only targets http:// on loopback (127.0.0.1)")
    return host, parts.port or 80


@dataclass
class Sample:
    name: str
    status: int  # 0: no answer (connection error or timeout)
    ms: float
    error: str = ""


@dataclass
class Connection:
    """One keep-alive connection with the cookies of one logged-in user."""

    host: str
    port: int
    cookies: dict = field(default_factory=dict)
    token: str = ""
    conn: http.client.HTTPConnection | None = None
    used: bool = False

    def request(self, method, path, *, body=None, headers=None, auth="session"):
        headers = dict(headers or {})
        if auth == "token" and self.token:
            headers["Authorization"] = f"Token {self.token}"
        elif self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                self.used = False
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                self.used = True
                for header in response.headers.get_all("Set-Cookie") or []:
                    cookie = SimpleCookie(header)
                    for key, morsel in cookie.items():
                        self.cookies[key] = morsel.value
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, data
            except STALE:
                reused = self.used
                self.close()
                if attempt == 2 or not reused:
                    raise  # a fresh connection failed: that is an error, not a stale keep-alive
        raise AssertionError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None


def log_in(host, port, username, password) -> Connection:
    """Log in through the real login page (CSRF token, session cookie)."""
    c = Connection(host, port)
    status, page = c.request("GET", "/accounts/login/")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not match:
        raise RuntimeError(f"login page answered {status}")
    body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": match.group(1).decode()})
    status, _ = c.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{host}:{port}/"},
    )
    if status != 302 or "sessionid" not in c.cookies:
        raise RuntimeError(f"log-in of {username} answered {status}")
    return c


class Client(threading.Thread):
    """One simulated user: think, pick a request by weight, send it, record it."""

    def __init__(
        self, number, base_conn, user, plan, rows, new_projects, deadline, think, start_at, seed, profile="default"
    ):
        super().__init__(daemon=True)
        self.profile = profile
        self.c = Connection(base_conn.host, base_conn.port, dict(base_conn.cookies), user.get("token", ""))
        self.user, self.plan, self.rows, self.new_projects = user, plan, rows, new_projects
        self.deadline, self.think, self.start_at = deadline, think, start_at
        self.random = random.Random(seed * 1000 + number)
        self.samples: list[Sample] = []
        self.tasks = self._tasks()

    def _tasks(self):
        year, month = self.plan["year"], self.plan["month"]
        if self.profile == "reporting-week":
            return self._reporting_week_tasks(year, month)
        tasks = [("home", 3, lambda: self.get("home", "/"))]
        if self.plan["api"]:
            tasks += [
                ("api projects", 2, lambda: self.get("api projects", "/api/projects/?page_size=100", auth="token")),
                (
                    "api actuals",
                    2,
                    lambda: self.get("api actuals", f"/api/actuals/?year={year}&month={month}", auth="token"),
                ),
            ]
            if self.rows or self.new_projects:
                tasks.append(("api write", 2, self.write))
        else:
            tasks += [("healthz", 1, lambda: self.get("healthz", "/healthz")), ("admin", 2, self.admin)]
        return tasks

    def _reporting_week_tasks(self, year, month):
        """Staff save figures (and glance at home); leaders and the bureau read the figure pages."""
        period = f"year={year}&month={month}"
        pages = {
            "home": lambda: self.get("home", "/"),
            "overview": lambda: self.get("overview", f"/overview/?{period}"),
            "ranking units": lambda: self.get("ranking units", f"/ranking/units/?{period}"),
            "api progress": lambda: self.get("api progress", f"/api/progress/?{period}", auth="token"),
            "api progress by unit": lambda: self.get(
                "api progress by unit", f"/api/progress/?{period}&group_by=unit", auth="token"
            ),
            "api projects 1000": lambda: self.get("api projects 1000", "/api/projects/?page_size=1000", auth="token"),
        }
        weights = {
            "staff": {"home": 1},
            "leader": {"home": 3, "overview": 3, "api progress": 1},
            "drc": {"home": 1, "overview": 3, "ranking units": 2, "api progress by unit": 2, "api projects 1000": 1},
        }[self.user["role"]]
        tasks = [(name, weight, pages[name]) for name, weight in weights.items()]
        if self.user["role"] == "staff" and (self.rows or self.new_projects):
            tasks.append(("api write", 4, self.write))
        return tasks

    def get(self, name, path, auth="session"):
        return self.send(name, "GET", path, auth=auth)

    def admin(self):
        return self.get("admin", "/admin/")

    def write(self):
        """PATCH one of this client's figures (POST first for a project that has none yet)."""
        amount = f"{Decimal(self.random.randint(0, 500000)) / 100:.2f}"
        headers = {"Content-Type": "application/json"}
        if self.new_projects and (not self.rows or self.random.random() < 0.2):
            project = self.new_projects.pop()
            body = {"project": project, "year": self.plan["year"], "month": self.plan["month"], "amount": amount}
            status, data = self.send("api write", "POST", "/api/actuals/", json.dumps(body), headers, auth="token")
            if status == 201:
                created = json.loads(data)
                self.rows.append({"id": created["id"], "project": project, "version": created.get("version")})
            return
        row = self.random.choice(self.rows)
        body = {"amount": amount}
        if row.get("version") is not None:
            body["version"] = row["version"]
        status, data = self.send(
            "api write", "PATCH", f"/api/actuals/{row['id']}/", json.dumps(body), headers, auth="token"
        )
        if status == 200:
            row["version"] = json.loads(data).get("version", row.get("version"))

    def send(self, name, method, path, body=None, headers=None, auth="session"):
        started = time.perf_counter()
        try:
            status, data = self.c.request(method, path, body=body, headers=headers, auth=auth)
        except (OSError, http.client.HTTPException) as exc:
            self.samples.append(Sample(name, 0, (time.perf_counter() - started) * 1000, repr(exc)))
            return 0, b""
        ms = (time.perf_counter() - started) * 1000
        error = "" if status < 400 else f"{method} {path} -> {status} {data[:200]!r}"
        self.samples.append(Sample(name, status, ms, error))
        return status, data

    def run(self):
        time.sleep(max(0.0, self.start_at - time.monotonic()))
        names = [t[0] for t in self.tasks]
        weights = [t[1] for t in self.tasks]
        actions = dict((t[0], t[2]) for t in self.tasks)
        while time.monotonic() < self.deadline:
            actions[self.random.choices(names, weights)[0]]()
            pause = self.random.uniform(*self.think)
            time.sleep(max(0.0, min(pause, self.deadline - time.monotonic())))
        self.c.close()


def percentile(sorted_values, p):
    """Nearest-rank percentile of an ascending list (None if empty)."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * p // 100))
    return round(sorted_values[int(rank) - 1], 1)


def summarise(samples, elapsed):
    ms = sorted(s.ms for s in samples)
    errors = [s for s in samples if s.status == 0 or s.status >= 400]
    return {
        "requests": len(samples),
        "errors": len(errors),
        "throughput_rps": round(len(samples) / elapsed, 1) if elapsed else None,
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "p99_ms": percentile(ms, 99),
        "max_ms": round(ms[-1], 1) if ms else None,
    }


def run_load(base, plan, *, clients, duration, think=(0.5, 1.5), ramp=5.0, seed=1, profile="default"):
    """Log the users in, run `clients` clients for `duration` seconds, and return the result."""
    host, port = loopback_only(base)
    if profile not in PROFILES:
        raise SystemExit(f"unknown profile {profile!r}: one of {', '.join(PROFILES)}")
    target_ms = TARGET_P95_MS_BY_PROFILE[profile]
    clients, duration = min(clients, MAX_CLIENTS), min(duration, MAX_DURATION)
    users = plan["users"]
    # Interleave roles so every run mixes staff (writers), leaders and the bureau.
    by_role = {}
    for user in users:
        by_role.setdefault(user["role"], []).append(user)
    order = []
    while any(by_role.values()):
        for role in ("staff", "leader", "drc"):
            if by_role.get(role):
                order.append(by_role[role].pop(0))
    chosen = [order[i % len(order)] for i in range(clients)]
    sessions = {}
    for user in chosen:
        if user["username"] not in sessions:
            sessions[user["username"]] = log_in(host, port, user["username"], plan["password"])
    # Clients of the same staff user write disjoint figures, so no two clients edit one row.
    share = {}
    for i, user in enumerate(chosen):
        share.setdefault(user["username"], []).append(i)
    started = time.monotonic()
    deadline = started + duration
    threads = []
    for i, user in enumerate(chosen):
        peers = share[user["username"]]
        k, n = peers.index(i), len(peers)
        rows = [dict(r) for r in user.get("rows", [])][k::n]
        new_projects = list(user.get("new_projects", []))[k::n]
        start_at = started + ramp * i / max(1, clients)
        threads.append(
            Client(
                i, sessions[user["username"]], user, plan, rows, new_projects, deadline, think, start_at, seed, profile
            )
        )
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 60)
    elapsed = time.monotonic() - started
    samples = [s for t in threads for s in t.samples]
    by_name = {}
    for s in samples:
        by_name.setdefault(s.name, []).append(s)
    total = summarise(samples, elapsed)
    by_endpoint = {name: summarise(group, elapsed) for name, group in sorted(by_name.items())}
    # The reporting week's target holds for every page, not just for all requests together.
    checked = by_endpoint.values() if profile == "reporting-week" else [total]
    passed = total["errors"] == 0 and all(r["p95_ms"] is not None and r["p95_ms"] < target_ms for r in checked)
    return {
        "finished_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "base_url": base,
        "profile": profile,
        "projects": plan.get("projects"),
        "clients": clients,
        "distinct_users": len(sessions),
        "duration_s": round(elapsed, 1),
        "ramp_s": ramp,
        "think_s": list(think),
        "api": plan["api"],
        **total,
        "by_endpoint": by_endpoint,
        "error_samples": [s.error for s in samples if s.error][:10],
        "target": {"errors": 0, "p95_ms": target_ms, "every_page": profile == "reporting-week"},
        "passed": passed,
    }


def table(result) -> str:
    """The result as a Markdown table (what the README shows)."""
    lines = [
        "| endpoint | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = [*result["by_endpoint"].items(), ("**all**", result)]
    for name, r in rows:
        lines.append(
            f"| {name} | {r['requests']} | {r['errors']} | {r['throughput_rps']} | {r['p50_ms']} | {r['p95_ms']} "
            f"| {r['p99_ms']} | {r['max_ms']} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="e.g. http://127.0.0.1:8123 (loopback only)")
    parser.add_argument("--plan", required=True, help="JSON written by loadtest/prepare.py")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--think-min", type=float, default=0.5)
    parser.add_argument("--think-max", type=float, default=1.5)
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds over which the clients start")
    parser.add_argument("--profile", choices=PROFILES, default="default", help="reporting-week: no think time")
    parser.add_argument("--json", help="write the result here")
    args = parser.parse_args(argv)
    with open(args.plan, encoding="utf-8") as f:
        plan = json.load(f)
    result = run_load(
        args.base,
        plan,
        clients=args.clients,
        duration=args.duration,
        think=(args.think_min, args.think_max),
        ramp=args.ramp,
        profile=args.profile,
    )
    print(table(result))
    verdict = "PASS" if result["passed"] else "FAIL"
    print(
        f"\n{result['clients']} clients ({result['distinct_users']} users), {result['duration_s']} s: "
        f"{result['requests']} requests, {result['throughput_rps']} req/s, p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms, {result['errors']} errors -> {verdict} "
        f"(target: 0 errors, p95 < {result['target']['p95_ms']} ms"
        f"{' for every page' if result['target']['every_page'] else ''})"
    )
    for line in result["error_samples"]:
        print("  error:", line)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False, indent=2)
            f.write("\n")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
