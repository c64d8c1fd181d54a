"""The control plane (`/_mock/...` on the API's own port) as Python calls, over urllib.

Each method is one endpoint of the "Control plane for tests" table (docs/control-plane.md); `call()`
reaches any other (an endpoint newer than this client, a query parameter it does not name). Scopes
are named as the server names them: `account_id`/`region` become `AccountId`/`Region`, and None
leaves the server's default (`--default-account`, us-east-1).
"""

from __future__ import annotations

import datetime
import json
import time
import urllib.error
import urllib.parse
import urllib.request

# The mock is always reached directly: an HTTP(S)_PROXY meant for the internet must not swallow
# requests to 127.0.0.1 or a CI service container.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ControlError(RuntimeError):
    """A control-plane answer other than 2xx: `status`, the server's `error` code and message."""

    def __init__(self, method: str, path: str, status: int, error: str, message: str):
        super().__init__(f"{method} {path}: {status} {error}: {message}")
        self.status = status
        self.error = error
        self.message = message


class MockNotReady(RuntimeError):
    """The mock did not answer its health check in time."""


def _json_default(value):
    # Jobs read back through boto3 carry datetimes; the fixture format takes ISO-8601 text.
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    raise TypeError(f"cannot send {type(value).__name__} to the control plane")


def _scope(account_id: str | None, region: str | None) -> dict:
    scope = {}
    if account_id is not None:
        scope["AccountId"] = account_id
    if region is not None:
        scope["Region"] = region
    return scope


class MockControl:
    """Control-plane client for the mock at `endpoint` (e.g. "http://127.0.0.1:9595")."""

    def __init__(self, endpoint: str, timeout: float = 10.0):
        self.endpoint = endpoint.rstrip("/")
        self.timeout = timeout

    # -- transport ----------------------------------------------------------------------------
    def call(self, method: str, path: str, body=None, query: dict | None = None,
             raw: bool = False):
        """One request; returns its decoded JSON (its bytes if `raw`), raises ControlError."""
        payload, _ = self._request(method, path, body, query)
        return payload if raw else json.loads(payload)

    def _request(self, method, path, body, query):
        """One request; (its body's bytes, its headers), raises ControlError."""
        url = self.endpoint + path
        if query:
            present = {k: v for k, v in query.items() if v is not None}
            if present:
                url += "?" + urllib.parse.urlencode(present)
        data = None if body is None else json.dumps(body, default=_json_default).encode()
        request = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                return response.read(), response.headers
        except urllib.error.HTTPError as e:
            payload = e.read()
            try:
                answer = json.loads(payload)
            except ValueError:
                answer = {}
            raise ControlError(method, path, e.code, answer.get("Error", "HTTPError"),
                               answer.get("Message", payload.decode("utf-8", "replace"))) from None

    # -- readiness ----------------------------------------------------------------------------
    def health(self) -> dict:
        """GET /_mock/health: status, version, store, clock offset, jobs per scope."""
        return self.call("GET", "/_mock/health")

    def wait_ready(self, timeout: float = 15.0) -> dict:
        """Poll health until ready, at most `timeout` s; returns it or raises MockNotReady."""
        deadline = time.monotonic() + timeout
        pause = 0.01
        last = None
        while True:
            try:
                answer = self.health()
                if answer.get("Status") == "ready":
                    return answer
                last = f"health says {answer.get('Status')!r}"
            except ControlError as e:
                if e.status == 404:  # --no-control-plane: only the liveness ping answers
                    ping = self.call("GET", "/_mock/ping")
                    if ping.get("Status") == "ready":
                        return ping
                last = str(e)
            except OSError as e:  # refused, reset, timed out: not up yet
                last = repr(e)
            if time.monotonic() + pause > deadline:
                raise MockNotReady(f"{self.endpoint} not ready after {timeout} s: {last}")
            time.sleep(pause)
            pause = min(pause * 2, 0.2)

    # -- state --------------------------------------------------------------------------------
    def reset(self, account_id: str | None = None, region: str | None = None,
              reload_fixtures: bool = True) -> dict:
        """POST /_mock/reset: all scopes (or one) to the fixtures; faults, log, clock cleared."""
        body = _scope(account_id, region)
        if not reload_fixtures:
            body["ReloadFixtures"] = False
        return self.call("POST", "/_mock/reset", body)

    def seed_jobs(self, jobs, account_id: str | None = None, region: str | None = None) -> dict:
        """POST /_mock/jobs: store jobs (a list, or a fixture document) all or nothing."""
        document = dict(jobs) if isinstance(jobs, dict) else {"MediaAnalysisJobs": list(jobs)}
        document.update(_scope(account_id, region))
        return self.call("POST", "/_mock/jobs", document)

    def jobs(self, account_id: str | None = None, region: str | None = None) -> list:
        """GET /_mock/jobs: a scope's jobs in the fixture format, as the API shows them now."""
        query = _scope(account_id, region)
        return self.call("GET", "/_mock/jobs", query=query)["MediaAnalysisJobs"]

    def jobs_page(self, max_results: int | None = None, next_token: str | None = None,
                  status: str | None = None, contains: str | None = None,
                  job_id: str | None = None, include_lifecycle: bool = False,
                  account_id: str | None = None, region: str | None = None) -> dict:
        """GET /_mock/jobs?MaxResults=&NextToken=&Status=&Contains=&JobId=&Include=Lifecycle: the
        whole answer, a page of the jobs that match (filters apply before paging) with the
        NextToken of the next page while more follow and, if `include_lifecycle`, their
        Lifecycles."""
        query = {"MaxResults": max_results, "NextToken": next_token, "Status": status,
                 "Contains": contains, "JobId": job_id,
                 "Include": "Lifecycle" if include_lifecycle else None,
                 **_scope(account_id, region)}
        return self.call("GET", "/_mock/jobs", query=query)

    def set_job_status(self, job_id: str, status: str, failure_code: str | None = None,
                       failure_message: str | None = None, account_id: str | None = None,
                       region: str | None = None) -> dict:
        """POST /_mock/jobs/{JobId}/status: force a status (FAILED: optional code, message)."""
        body = {"Status": status, **_scope(account_id, region)}
        details = {}
        if failure_code is not None:
            details["Code"] = failure_code
        if failure_message is not None:
            details["Message"] = failure_message
        if details:
            body["FailureDetails"] = details
        return self.call("POST", f"/_mock/jobs/{urllib.parse.quote(job_id, safe='')}/status",
                         body)

    def pace_job(self, job_id: str, polls_per_state: int, account_id: str | None = None,
                 region: str | None = None) -> dict:
        """POST /_mock/jobs/{JobId}/progress: move the job one state per N Gets from now on."""
        body = {"PollsPerState": polls_per_state, **_scope(account_id, region)}
        return self.call("POST", f"/_mock/jobs/{urllib.parse.quote(job_id, safe='')}/progress",
                         body)

    def results(self, job_id: str, account_id: str | None = None,
                region: str | None = None) -> bytes:
        """GET /_mock/jobs/{JobId}/results: the results file's bytes (needs an object store)."""
        return self._output(job_id, "results", account_id, region)

    def results_page(self, job_id: str, max_lines: int | None = None,
                     next_token: str | None = None, account_id: str | None = None,
                     region: str | None = None) -> tuple[bytes, str | None]:
        """GET /_mock/jobs/{JobId}/results?MaxLines=&NextToken=: a page of the results file's
        lines (at most 1 MiB) and the NextToken of the next page, None after the last."""
        query = {"MaxLines": max_lines if max_lines is not None else 100,
                 "NextToken": next_token, **_scope(account_id, region)}
        payload, headers = self._request(
            "GET", f"/_mock/jobs/{urllib.parse.quote(job_id, safe='')}/results", None, query)
        return payload, headers.get("X-Mock-Next-Token")

    def iter_results(self, job_id: str, page_lines: int = 1000, account_id: str | None = None,
                     region: str | None = None):
        """Each line of the results file (bytes, newline kept), a page at a time: a large file
        is never held whole."""
        token = None
        while True:
            page, token = self.results_page(job_id, page_lines, token, account_id, region)
            yield from page.splitlines(keepends=True)
            if token is None:
                return

    def manifest_summary(self, job_id: str, account_id: str | None = None,
                         region: str | None = None) -> bytes:
        """GET /_mock/jobs/{JobId}/manifest-summary: the summary file's bytes."""
        return self._output(job_id, "manifest-summary", account_id, region)

    def image(self, bucket: str, key: str, version_id: str | None = None) -> bytes:
        """GET /_mock/images?Bucket=&Key=[&VersionId=]: an image the object store holds, as the
        browser view shows a results line's source-ref (JPEG or PNG only)."""
        return self.call("GET", "/_mock/images",
                         query={"Bucket": bucket, "Key": key, "VersionId": version_id}, raw=True)

    def _output(self, job_id, which, account_id, region):
        return self.call("GET", f"/_mock/jobs/{urllib.parse.quote(job_id, safe='')}/{which}",
                         query=_scope(account_id, region), raw=True)

    # -- time ---------------------------------------------------------------------------------
    def advance_clock(self, seconds: float) -> float:
        """POST /_mock/clock/advance: move the lifecycle clock; returns the total offset."""
        return self.call("POST", "/_mock/clock/advance", {"Seconds": seconds})["ClockOffsetSeconds"]

    # -- faults -------------------------------------------------------------------------------
    def add_fault(self, operation: str = "*", error: str | None = None, count: int | None = None,
                  probability: float | None = None, seed: int | None = None,
                  latency_ms: int | None = None, rate_per_second: float | None = None,
                  burst: float | None = None, latency: dict | None = None,
                  for_seconds: float | None = None) -> str:
        """POST /_mock/faults: a rule (exactly one of count/probability/rate_per_second; latency
        a {"P50", "P95", "P99", "Max"} profile in ms; for_seconds to expire); returns its Id."""
        body = {"Operation": operation}
        for name, value in (("Error", error), ("Count", count), ("Probability", probability),
                            ("Seed", seed), ("LatencyMs", latency_ms),
                            ("RatePerSecond", rate_per_second), ("Burst", burst),
                            ("Latency", latency), ("ForSeconds", for_seconds)):
            if value is not None:
                body[name] = value
        return self.call("POST", "/_mock/faults", body)["Id"]

    def faults(self) -> list:
        """GET /_mock/faults: the rules, in the order they are tried."""
        return self.call("GET", "/_mock/faults")["Faults"]

    def clear_faults(self, fault_id: str | None = None) -> int:
        """DELETE /_mock/faults[/{Id}]: remove one rule or all; returns how many went."""
        path = "/_mock/faults" if fault_id is None else f"/_mock/faults/{fault_id}"
        return self.call("DELETE", path)["FaultsCleared"]

    # -- throughput quotas --------------------------------------------------------------------
    def set_quota(self, operation: str, rate_per_second: float,
                  burst: float | None = None) -> dict:
        """POST /_mock/quotas: at most `rate_per_second` calls of `operation` a second per account
        and region (burst: calls at once, default the rate); more are throttled."""
        body = {"Operation": operation, "RatePerSecond": rate_per_second}
        if burst is not None:
            body["Burst"] = burst
        return self.call("POST", "/_mock/quotas", body)

    def quotas(self) -> list:
        """GET /_mock/quotas: the quotas, with how many calls each throttled."""
        return self.call("GET", "/_mock/quotas")["Quotas"]

    def clear_quotas(self, operation: str | None = None) -> int:
        """DELETE /_mock/quotas[/{operation}]: drop one quota or all; returns how many went."""
        path = "/_mock/quotas" if operation is None else f"/_mock/quotas/{operation}"
        return self.call("DELETE", path)["QuotasCleared"]

    # -- request log --------------------------------------------------------------------------
    def requests(self, limit: int | None = None, **filters) -> list:
        """GET /_mock/requests: the last AWS calls, oldest first; `filters` go in the query."""
        return self.call("GET", "/_mock/requests", query={"Limit": limit, **filters})["Requests"]

    def count_requests(self, **filters) -> int:
        """GET /_mock/requests/count: how many logged calls match `filters`
        (docs/control-plane.md)."""
        return self.call("GET", "/_mock/requests/count", query=filters)["Count"]

    def clear_requests(self) -> None:
        """DELETE /_mock/requests: forget the logged calls."""
        self.call("DELETE", "/_mock/requests")

    # -- moderation rules ---------------------------------------------------------------------
    def set_moderation_rules(self, rules: list, account_id: str | None = None,
                             region: str | None = None) -> int:
        """POST /_mock/moderation-rules: replace the scope's rules; returns how many were set."""
        body = {**_scope(account_id, region), "ModerationRules": rules}
        return self.call("POST", "/_mock/moderation-rules", body)["RulesSet"]

    def moderation_rules(self, account_id: str | None = None, region: str | None = None) -> list:
        """GET /_mock/moderation-rules: the scope's rules, in the order they are tried."""
        return self.call("GET", "/_mock/moderation-rules",
                         query=_scope(account_id, region))["ModerationRules"]

    def clear_moderation_rules(self, account_id: str | None = None,
                               region: str | None = None) -> int:
        """DELETE /_mock/moderation-rules: drop the scope's rules; returns how many went."""
        return self.call("DELETE", "/_mock/moderation-rules",
                         query=_scope(account_id, region))["RulesCleared"]

    # -- usage --------------------------------------------------------------------------------
    def usage(self, account_id: str | None = None, region: str | None = None) -> dict:
        """GET /_mock/usage: what the scope used since the start or its last reset (images
        processed, lines refused, API calls per operation, and per job)."""
        return self.call("GET", "/_mock/usage", query=_scope(account_id, region))
