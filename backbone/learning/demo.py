"""The demo's learning and evaluation: six learning questions (two answered), an evaluation
plan across the three stages and three types, and ten log entries over the last year.

The log follows the attendance mentor pilot from text reminders to transport vouchers, the
summer reading challenge, and the pre-K enrolment drives, each entry linked to the demo's
own activities, indicators and the action team meeting where it was discussed (the first
meeting of that team on or after the entry's date, else its last one). Dates are counted
back from today, so the log always covers the year just gone.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from backbone.accounts.models import Person
from backbone.activities.models import Activity
from backbone.communication.models import Meeting
from backbone.initiatives.models import Initiative, Membership
from backbone.initiatives.roles import Role
from backbone.measurement.models import Indicator

from . import services
from .models import LearningQuestion, LogEntry, PlanItem

MENTORS, READING, ENROLMENT, DATA, VOICE, COLLEGE = range(6)

# (text, why, owner, answered: (days ago, answer) or None)
QUESTIONS = [
    (
        "Do attendance mentors reduce chronic absence more than text reminders alone?",
        "Mentors cost far more than texts; the partners need to know what the money buys "
        "before asking the funders for a second year.",
        "evaluator",
        (
            55,
            "Yes. In the two pilot schools chronic absence fell from 24% to 18% in a year with "
            "mentors, against 22% to 21% in schools with text reminders only; transport "
            "vouchers added most for the families who named transport as the reason.",
        ),
    ),
    (
        "Does the summer reading challenge hold up reading scores for the children who take part?",
        "The summer slide undoes a term of reading progress in the schools with the widest gap.",
        "library",
        (
            230,
            "Mostly. Children who read ten books or more kept their spring scores in the "
            "autumn; those who read fewer lost ground like children who did not take part, "
            "so the challenge now sets ten books as the goal.",
        ),
    ),
    (
        "Which families are the pre-K enrolment drives not reaching?",
        "Enrolment rose but the readiness gap between low- and high-income families did not close.",
        "staff",
        None,
    ),
    (
        "Are partners' data reported soon enough to act on in the same term?",
        "Quarterly data arrived after the term it described; action teams could only look back.",
        "data_lead",
        None,
    ),
    (
        "Do residents who join the action teams stay, and do they shape what is decided?",
        "Equity means residents share the decisions, not only the listening sessions.",
        "staff",
        None,
    ),
    (
        "What keeps first-generation students enrolled after their first year of college?",
        "Post-secondary completion is the goal furthest from its target.",
        "evaluator",
        None,
    ),
]

# (title, stage, type, questions, method, who evaluates, timing); {baseline} names the school
# years before the initiative's launch.
PLAN = [
    (
        "How the partnership forms: trust, roles and the way of deciding",
        "early",
        "developmental",
        [VOICE],
        "Reflective interviews with partners and residents; notes from action team meetings.",
        "Samuel Adeyemi, evaluator",
        "Year 1, every six months",
    ),
    (
        "Is shared measurement working?",
        "early",
        "formative",
        [DATA],
        "Reporting completeness and timeliness from Backbone; a short survey of data leads.",
        "Luis Ortega, backbone data lead",
        "Years 1–2, each quarter",
    ),
    (
        "Baselines of the population results",
        "early",
        "summative",
        [ENROLMENT],
        "District and county results for {baseline}, by race, income and school.",
        "Samuel Adeyemi with the district's research office",
        "End of year 1",
    ),
    (
        "Attendance mentor pilot: what works, for whom",
        "middle",
        "developmental",
        [MENTORS],
        "Monthly data review with the mentors; interviews with families who left the pilot.",
        "Attendance action team with the evaluator",
        "Years 2–3, monthly",
    ),
    (
        "Summer reading challenge and camps",
        "middle",
        "formative",
        [READING],
        "Spring and autumn reading scores of children who took part and who did not.",
        "Riverton Reads and the library, with the evaluator",
        "Each September",
    ),
    (
        "Who the pre-K enrolment drives reach",
        "middle",
        "summative",
        [ENROLMENT],
        "Applications and enrolments by neighbourhood and family income against the places.",
        "Kindergarten readiness action team",
        "Year 3, spring",
    ),
    (
        "Residents' share of the decisions",
        "later",
        "developmental",
        [VOICE],
        "Seat mapping of the steering committee and teams; interviews by community researchers.",
        "Community researchers trained by the evaluator",
        "Year 4",
    ),
    (
        "Keeping students on track from ninth grade to college",
        "later",
        "formative",
        [COLLEGE],
        "Cohort tracking with the district and the community college, term by term.",
        "Riverton Community College's institutional research office",
        "Years 4–5, each term",
    ),
    (
        "Did the population results move, and what did the partnership contribute?",
        "later",
        "summative",
        [MENTORS, READING, ENROLMENT, COLLEGE],
        "Trends of the shared indicators against baselines and two comparison districts; "
        "contribution analysis.",
        "An external evaluation firm, chosen with the funders",
        "Year 5",
    ),
]

# (days ago, author, title, tried, showed, changed, indicators, activities, team, questions)
ENTRIES = [
    (
        350,
        "schools",
        "Text reminders the evening before school",
        "Attendance teams texted the families of chronically absent pupils the evening before "
        "each school day, for six weeks.",
        "Absence among those pupils fell for two weeks, then went back to where it was.",
        "The attendance team asked for a pilot with mentors who know the families.",
        ["chronic-absenteeism", "average-attendance"],
        ["Attendance teams in every elementary school"],
        "Attendance",
        [MENTORS],
    ),
    (
        320,
        "Latino Family Alliance",
        "Bilingual navigators at pre-K enrolment",
        "Bilingual family navigators helped families fill in the pre-K application at the "
        "enrolment drive.",
        "Applications from Spanish-speaking families rose by a third on the year before; "
        "applications from Eastgate did not move.",
        "The next drive goes door to door in Eastgate with the tenants' union.",
        ["prek-enrolled"],
        ["Bilingual family navigators", "Pre-K enrolment drive"],
        "Kindergarten readiness",
        [ENROLMENT],
    ),
    (
        280,
        "evaluator",
        "Attendance mentors in two schools",
        "Mentors met weekly with 60 chronically absent pupils and their families in two "
        "elementary schools.",
        "After one term, 38 of the 60 had missed fewer days than the term before; in the "
        "comparison group, 21 of 58.",
        "The team kept the mentors for the whole year and will try transport vouchers.",
        ["chronic-absenteeism"],
        ["Attendance teams in every elementary school", "Walking school bus"],
        "Attendance",
        [MENTORS],
    ),
    (
        245,
        "library",
        "Summer reading: ten books or more",
        "The library's summer reading challenge in Spanish and the Riverton Reads camps kept "
        "a reading log for every child.",
        "Children who read ten books or more kept their spring reading scores in the autumn; "
        "those who read fewer lost ground like children who did not take part.",
        "The challenge now sets ten books as the goal, and the bookmobile visits the camps.",
        ["third-grade-reading", "students-tutored"],
        ["Summer reading challenge in Spanish", "Summer reading camps", "Books on the bookmobile"],
        "Third-grade reading",
        [READING],
    ),
    (
        210,
        "data_lead",
        "Attendance data every month instead of every quarter",
        "The district shared attendance by school every month, through Backbone.",
        "The attendance team saw absence rising in two schools six weeks earlier than the "
        "quarterly reports would have shown it.",
        "Partners report attendance monthly; the data-sharing agreement was updated.",
        ["chronic-absenteeism", "average-attendance"],
        ["Attendance teams in every elementary school"],
        "Data sharing",
        [DATA],
    ),
    (
        175,
        "staff",
        "Door to door in Eastgate before enrolment",
        "The tenants' union and Head Start went door to door in Eastgate before the spring "
        "enrolment.",
        "Eastgate pre-K applications rose from 14 to 31, but half the families said they have "
        "no way to get to the centres.",
        "Head Start has asked the housing authority about a shuttle; not decided yet.",
        ["prek-enrolled", "kindergarten-readiness"],
        ["Door-to-door screening days", "Pre-K enrolment drive"],
        "Kindergarten readiness",
        [ENROLMENT],
    ),
    (
        140,
        "staff",
        "Parents on the kindergarten readiness team",
        "Two parents from the listening sessions joined the action team, with childcare and "
        "a stipend.",
        "Both came to five of the six meetings; the team rewrote the enrolment letter after "
        "their comments and more forms came back.",
        "The team will invite two more parents; the backbone has budgeted the stipends.",
        ["kindergarten-readiness"],
        ["Home visiting for new parents"],
        "Kindergarten readiness",
        [VOICE],
    ),
    (
        100,
        "library_member",
        "Tutoring hours by school",
        "Reading buddies and Saturday tutoring reported their hours by school for the first time.",
        "The two schools with the widest reading gap received a fifth of the tutoring hours.",
        "Volunteer reading buddies move to those two schools next term.",
        ["students-tutored", "third-grade-reading"],
        ["Volunteer reading buddies", "Saturday tutoring"],
        "Third-grade reading",
        [],
    ),
    (
        60,
        "evaluator",
        "Transport vouchers in the mentor pilot",
        "Families in the mentor pilot who named transport as the reason for absence received "
        "bus vouchers.",
        "Pupils with vouchers missed 2.1 fewer days a month than before; those without, 0.8 fewer.",
        "The funders' table has been asked for a second year of mentor funding, vouchers included.",
        ["chronic-absenteeism"],
        ["Attendance teams in every elementary school"],
        "Attendance",
        [MENTORS],
    ),
    (
        25,
        "evaluator",
        "Success coaches for first-generation students",
        "Coaches called every first-generation student who missed two classes in a row.",
        "Of 140 students, 118 enrolled for the second term, against 96 of 141 the year before.",
        "",
        ["postsecondary-enrolment", "postsecondary-completion"],
        ["First-generation student success coaches", "Emergency grants for students"],
        "All-partners",
        [COLLEGE],
    ),
]


def _people(initiative: Initiative) -> dict[str, Person | None]:
    def first(role: str, organisation: str | None = None, name: str | None = None):
        rows = Membership.objects.filter(initiative=initiative, role=role)
        if organisation:
            rows = rows.filter(organisation__name=organisation)
        people = [m.person for m in rows.select_related("person").order_by("person__name")]
        named = [p for p in people if name and p.name == name]
        return (named or people or [None])[0]

    staff = first(Role.BACKBONE_STAFF, name="Maya Okafor")
    return {
        "staff": staff,
        "data_lead": first(Role.BACKBONE_STAFF, name="Luis Ortega") or staff,
        "evaluator": first(Role.EVALUATOR) or staff,
        "library": first(Role.PARTNER_STEWARD, "Riverton Public Library") or staff,
        "library_member": first(Role.PARTNER_MEMBER, "Riverton Public Library", "Tomás Silva")
        or staff,
        "schools": first(Role.PARTNER_STEWARD, "Riverton Public Schools") or staff,
        "Latino Family Alliance": first(Role.PARTNER_STEWARD, "Latino Family Alliance") or staff,
    }


def _meeting(meetings: list[Meeting], team: str, day: date) -> Meeting | None:
    """The team's first meeting on or after `day` that has taken place, else its last."""
    now = timezone.now()
    mine = [m for m in meetings if m.title.startswith(team) and m.starts_at <= now]
    after = [m for m in mine if m.local_start.date() >= day]
    if after:
        return min(after, key=lambda m: m.starts_at)
    return max(mine, key=lambda m: m.starts_at, default=None)


@transaction.atomic
def learning_demo(*, initiative: Initiative) -> dict[str, int]:
    """Build the demo's questions, plan and log; returns how many of each were made."""
    LogEntry.objects.filter(initiative=initiative).delete()
    PlanItem.objects.filter(initiative=initiative).delete()
    LearningQuestion.objects.filter(initiative=initiative).delete()
    today = timezone.localdate()
    people = _people(initiative)

    questions = []
    for text, why, owner, answered in QUESTIONS:
        question = LearningQuestion(initiative=initiative, text=text, why=why, owner=people[owner])
        if answered:
            days, answer = answered
            question.status = LearningQuestion.Status.ANSWERED
            question.answer = answer
            question.answered_on = today - timedelta(days=days)
        questions.append(services.question_save(question=question, by=people[owner]))

    launch = initiative.start_date or today
    baseline = f"{launch.year - 3}–{(launch.year - 1) % 100:02d}"
    for title, stage, kind, asks, method, who, timing in PLAN:
        services.plan_item_save(
            item=PlanItem(
                initiative=initiative,
                title=title,
                stage=stage,
                evaluation_type=kind,
                method=method.format(baseline=baseline),
                evaluator=who,
                timing=timing,
            ),
            questions=[questions[n] for n in asks],
        )

    indicators = {i.code: i for i in Indicator.objects.filter(initiative=initiative)}
    activities = {a.name: a for a in Activity.objects.filter(initiative=initiative)}
    meetings = list(Meeting.objects.filter(initiative=initiative))
    made = 0
    for days, author, title, tried, showed, changed, codes, names, team, asks in ENTRIES:
        day = today - timedelta(days=days)
        meeting = _meeting(meetings, team, day)
        services.log_entry_save(
            entry=LogEntry(
                initiative=initiative,
                happened_on=day,
                title=title,
                tried=tried,
                data_showed=showed,
                changed=changed,
            ),
            by=people[author],
            indicators=[indicators[c] for c in codes if c in indicators],
            activities=[activities[n] for n in names if n in activities],
            meetings=[meeting] if meeting else [],
            questions=[questions[n] for n in asks],
        )
        made += 1
    return {"questions": len(questions), "plan": len(PLAN), "entries": made}
