"""The simulated people of a collective-impact network, for locust (run by benchmarks/load.py).

Each signs in once through the form at /accounts/login/ and then, with a few seconds' thought
between pages, does what someone in that role does most: everyone reads the scorecard,
indicator pages and the feed; partner stewards report values by the web form and upload
small CSV files; partner people and the backbone vote on the open proposal; the backbone and
the evaluator read the submissions. Every request is named by its kind of page, and written
to LOAD_LOG (tab-separated: start time, page, status, ms, ok) for the figures.

LOAD_PLAN names the plan that benchmarks/load/prepare.py wrote.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sys
import time
from pathlib import Path

from locust import HttpUser, between, events

sys.path.insert(0, str(Path(__file__).resolve().parent))
from totals import total_fields  # noqa: E402

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
SLUG = PLAN["slug"]
BASE = f"/i/{SLUG}"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
INDICATOR_LINK = re.compile(rf'href="{BASE}/scorecard/indicators/([\w-]+)/"')
PROBLEM = re.compile(r"<li>(?:<a [^>]*>)?([^<]+)")
TOTAL_INPUT = re.compile(r'<input[^>]*name="(c\d+_(\w+))"[^>]*aria-labelledby="total-head')
# Seconds a person reads a page before the next one (LOAD_THINK "min,max").
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "5,15").split(","))
LOG = open(os.environ["LOAD_LOG"], "a", buffering=1)  # noqa: SIM115 (open for the whole run)
# Stewards who owe a report in an open period sign in as the simulated stewards.
REPORTERS = sorted(email for email, owed in PLAN["reports"].items() if owed)
ACCOUNTS = {
    "staff": PLAN["people"]["staff"],
    "steward": REPORTERS,
    "member": PLAN["people"]["member"],
    "community": PLAN["people"]["community"],
    "funder": PLAN["people"]["funder"],
    "evaluator": PLAN["people"]["evaluator"],
}
_turns = {role: itertools.cycle(emails) for role, emails in ACCOUNTS.items()}


@events.request.add_listener
def _log(request_type, name, response_time, response, exception, start_time=None, **kw):
    status = getattr(response, "status_code", 0) or 0
    ok = 0 if exception else 1
    LOG.write(f"{start_time or time.time():.3f}\t{name}\t{status}\t{response_time:.1f}\t{ok}\n")


class Person(HttpUser):
    abstract = True
    role = ""
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.email = next(_turns[self.role])
        self.rng = random.Random()
        self.signed_in = False
        self.sign_in()

    # --- helpers ----------------------------------------------------------------------

    def sign_in(self) -> None:
        page = self.client.get("/accounts/login/", name="sign in: form")
        found = TOKEN.search(page.text or "")
        if not found:
            return
        data = {
            "csrfmiddlewaretoken": found.group(1),
            "username": self.email,
            "password": PLAN["password"],
        }
        with self.client.post(
            "/accounts/login/",
            data=data,
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code == 302:
                self.signed_in = True
            else:
                answer.failure(f"sign-in answered {answer.status_code}")

    def read(self, path: str, name: str) -> str | None:
        """A page that should answer 200; a redirect to sign in counts as an error."""
        if not self.signed_in:
            self.sign_in()
            if not self.signed_in:
                return None  # tries again at the next page, as a person would
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code == 200:
                return answer.text
            if answer.status_code == 302 and "/accounts/login/" in answer.headers.get(
                "Location", ""
            ):
                self.signed_in = False
            answer.failure(f"{answer.status_code}")
        return None

    def send(self, path: str, name: str, *, data: dict, files=None) -> None:
        """A form sent: success is the redirect that follows a save."""
        with self.client.post(
            path, data=data, files=files, name=name, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302:
                _, _, shown = (answer.text or "").partition('id="problems"')
                problem = PROBLEM.search(shown)
                answer.failure(f"{answer.status_code} {problem.group(1) if problem else ''}")

    # --- what everyone reads -----------------------------------------------------------

    def scorecard(self) -> None:
        html = self.read(f"{BASE}/scorecard/", "scorecard")
        if html:
            self.codes = sorted(set(INDICATOR_LINK.findall(html)))

    def indicator(self) -> None:
        """One of the indicators the scorecard showed this person (each may see others)."""
        if not getattr(self, "codes", None):
            self.scorecard()
        if getattr(self, "codes", None):
            code = self.rng.choice(self.codes)
            self.read(f"{BASE}/scorecard/indicators/{code}/", "indicator page")

    def feed(self) -> None:
        self.read(f"{BASE}/updates/", "feed")

    def update(self) -> None:
        if PLAN["updates"]:
            self.read(f"{BASE}/updates/{self.rng.choice(PLAN['updates'])}/", "update")

    # --- what some do ---------------------------------------------------------------------

    def vote(self) -> None:
        path = f"{BASE}/decisions/{PLAN['proposal']}/"
        html = self.read(path, "proposal")
        token = TOKEN.search(html or "")
        if token is None:
            return
        choice = self.rng.choice(["agree", "agree", "abstain", "disagree"])
        data = {"csrfmiddlewaretoken": token.group(1), "choice": choice}
        if choice == "disagree":
            data["reason"] = "Our site cannot show a calendar yet."
        self.send(path + "vote/", "vote", data=data)

    def report(self) -> None:
        owed = PLAN["reports"].get(self.email)
        if not owed:
            return
        pick = self.rng.choice(owed)
        path = f"{BASE}/measurement/report/{pick['indicator']}/{pick['period']}/"
        html = self.read(path, "report form")
        token = TOKEN.search(html or "")
        if token is None:
            return
        given = total_fields(pick["aggregation"], self.rng)
        data = {"csrfmiddlewaretoken": token.group(1), "action": "submit"}
        for name, field in TOTAL_INPUT.findall(html):
            value = given.get("n" if field == "weight" else field)
            if value is not None:
                data[name] = value
        self.send(path, "report: send", data=data)

    def upload(self) -> None:
        owed = PLAN["reports"].get(self.email)
        if not owed:
            return
        path = f"{BASE}/measurement/files/upload/"
        token = TOKEN.search(self.read(path, "upload form") or "")
        if token is None:
            return
        lines = ["indicator,period,value,numerator,denominator,n"]
        for pick in self.rng.sample(owed, min(len(owed), 3)):
            given = total_fields(pick["aggregation"], self.rng)
            cells = [given.get(f, "") for f in ("value", "numerator", "denominator", "n")]
            lines.append(",".join([pick["indicator"], pick["period"], *cells]))
        body = ("\n".join(lines) + "\n").encode()
        self.send(
            path,
            "upload: send",
            data={"csrfmiddlewaretoken": token.group(1), "action": "submit"},
            files={"file": ("values.csv", body, "text/csv")},
        )

    def submissions(self) -> None:
        self.read(f"{BASE}/measurement/submissions/", "submissions")


class Steward(Person):
    """A partner's data steward: reports its values and votes for its organisation."""

    weight = 30
    role = "steward"
    # What each kind of person does, and how often relative to the rest.
    tasks = {
        Person.scorecard: 3,
        Person.indicator: 3,
        Person.feed: 2,
        Person.report: 2,
        Person.upload: 1,
        Person.vote: 1,
    }


class PartnerMember(Person):
    weight = 20
    role = "member"
    tasks = {
        Person.scorecard: 3,
        Person.indicator: 2,
        Person.feed: 3,
        Person.update: 1,
        Person.vote: 1,
    }


class CommunityMember(Person):
    weight = 20
    role = "community"
    tasks = {Person.scorecard: 4, Person.indicator: 3, Person.feed: 3, Person.update: 1}


class BackboneStaff(Person):
    weight = 15
    role = "staff"
    tasks = {
        Person.scorecard: 3,
        Person.indicator: 3,
        Person.submissions: 2,
        Person.feed: 2,
        Person.vote: 1,
    }


class Funder(Person):
    weight = 10
    role = "funder"
    tasks = {Person.scorecard: 4, Person.indicator: 3, Person.feed: 1}


class Evaluator(Person):
    weight = 5
    role = "evaluator"
    tasks = {
        Person.scorecard: 3,
        Person.indicator: 3,
        Person.submissions: 1,
        Person.feed: 1,
    }
