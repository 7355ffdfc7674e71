"""iCalendar (RFC 5545) feeds of meetings.

Each event keeps the meeting's own time zone: DTSTART and DTEND carry a TZID and the calendar
holds the matching VTIMEZONE, so a calendar program shows 18:00 Chicago time as the meeting
was planned, and reading the feed back gives the same instant and zone name.
"""

from __future__ import annotations

from django.utils import timezone
from icalendar import Calendar, Event

from .models import Meeting

PRODID = "-//Backbone//Working groups//EN"


def calendar_build(*, name: str, meetings: list[Meeting], url_of=None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"{meeting.uuid}@backbone")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.local_start)
        event.add("dtend", meeting.local_end)
        event.add("summary", meeting.title)
        if meeting.place:
            event.add("location", meeting.place)
        if meeting.agenda:
            event.add("description", meeting.agenda)
        if url_of is not None:
            event.add("url", url_of(meeting))
        if meeting.is_private:
            event.add("class", "PRIVATE")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
