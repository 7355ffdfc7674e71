"""The `data` of each event: the object's public identifiers, its status and where to read
it (`url` the page, `api_url` the API where it has one). Never figures, comments, titles or
any other text people wrote: a receiver reads those through the API, with its own access."""

from __future__ import annotations

from django.urls import reverse

from backbone.web.links import site_url


def _api(path: str) -> str:
    return site_url(f"/api{path}")


def submission(submission) -> dict:
    slug = submission.initiative.slug
    return {
        "submission": {
            "uuid": str(submission.uuid),
            "status": submission.status,
            "partner": submission.partner.organisation.slug,
            "channel": submission.channel,
            "reviewed_at": submission.reviewed_at.isoformat() if submission.reviewed_at else None,
            "url": site_url(reverse("measurement:submission", args=[slug, submission.uuid])),
            "api_url": _api(f"/initiatives/{slug}/submissions/{submission.uuid}"),
        }
    }


def decision(outcome) -> dict:
    proposal = outcome.proposal
    slug = outcome.initiative.slug
    return {
        "proposal": {
            "uuid": str(proposal.uuid),
            "status": proposal.status,
            "result": outcome.result,
            "closed_at": outcome.closed_at.isoformat(),
            "review_on": outcome.review_on.isoformat() if outcome.review_on else None,
            "url": site_url(reverse("decisions:proposal", args=[slug, proposal.uuid])),
        }
    }


def agenda_version(version) -> dict:
    slug = version.initiative.slug
    return {
        "agenda_version": {
            "number": version.number,
            "status": "published",
            "created_at": version.created_at.isoformat(),
            "url": site_url(reverse("agenda:detail", args=[slug])),
            "api_url": _api(f"/initiatives/{slug}/agenda/versions/{version.number}"),
        }
    }


def action_item(item) -> dict:
    slug = item.initiative.slug
    return {
        "action_item": {
            "uuid": str(item.uuid),
            "status": "overdue",
            "due_on": item.due_on.isoformat() if item.due_on else None,
            "meeting": str(item.meeting.uuid),
            "url": site_url(reverse("communication:meeting", args=[slug, item.meeting.uuid])),
        }
    }
