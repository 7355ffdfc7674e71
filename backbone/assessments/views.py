"""Assessment pages: rounds, answering, response rates and results.

Thin views: access through `backbone.permissions` (outsiders 404, members denied 403), reads
through `selectors`, writes through `services`. Who may do what is written in the rules
`assessments.*`: backbone staff open, close and share rounds and read everything;
evaluators read response rates and results; the people asked answer their own; other
members read results the backbone shares with them, once the round has closed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from backbone.permissions import can, initiative_for, require
from backbone.revisions import EditConflict
from backbone.web.confirm import Confirmation, confirm_page
from backbone.web.forms import add_errors, read_revision, track

from . import charts, exports, selectors, services
from .forms import AnswerForm, ClosingDateForm, RoundForm
from .models import Respondent, Round
from .scoring import band_cuts, items_of

SECTION = "assessments"


def _page(request, template, initiative, status=200, **context):
    return render(
        request,
        f"assessments/{template}",
        {"initiative": initiative, "section": SECTION, **context},
        status=status,
    )


def _round(initiative, uuid) -> Round:
    found = selectors.round_by_uuid(initiative, uuid)
    if found is None:
        raise Http404(_("No such round."))
    return found


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for messages_ in exc.message_dict.values() for m in messages_]
    return exc.messages


# --- rounds ---------------------------------------------------------------------------


def rounds(request, slug):
    initiative = initiative_for(request.user, slug, "assessments.view")
    sees_all = can(request.user, "assessments.progress", initiative)
    mine = selectors.my_invitations(initiative=initiative, person=request.user)
    shown = []
    for found in selectors.rounds_of(initiative):
        found.initiative = initiative
        asked = mine.get(found.pk)
        readable = can(request.user, "assessments.results", initiative, found)
        if sees_all or asked or (readable and found.is_closed()):
            shown.append((found, asked, readable and found.is_closed()))
    return _page(
        request,
        "rounds.html",
        initiative,
        rows=shown,
        sees_all=sees_all,
        may_manage=can(request.user, "assessments.manage", initiative),
        today=timezone.localdate(),
    )


def questionnaires(request, slug):
    initiative = initiative_for(request.user, slug, "assessments.view")
    return _page(
        request,
        "questionnaires.html",
        initiative,
        questionnaires=services.questionnaires_for(initiative),
        may_manage=can(request.user, "assessments.manage", initiative),
    )


def questionnaire(request, slug, questionnaire):
    initiative = initiative_for(request.user, slug, "assessments.view")
    found = services.questionnaire_for(initiative, questionnaire)
    if found is None:
        raise Http404(_("No such questionnaire for this initiative."))
    items = items_of(found.data)
    names = selectors.element_names(initiative, list(dict.fromkeys(i.element for i in items)))
    return _page(
        request,
        "questionnaire.html",
        initiative,
        questionnaire=found,
        form=AnswerForm(items=items).grouped(names),
        may_manage=can(request.user, "assessments.manage", initiative),
    )


def round_create(request, slug):
    initiative = initiative_for(request.user, slug, "assessments.manage")
    initial = {}
    if "questionnaire" in request.GET:
        initial["questionnaire"] = services.questionnaire_for(
            initiative, request.GET["questionnaire"]
        )
    form = RoundForm(request.POST or None, initiative=initiative, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = services.round_open(
                initiative=initiative,
                questionnaire=data["questionnaire"],
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                roles=data["roles"],
                partners=data["partners"],
                anonymous=data["anonymous"],
                results_shared=data["results_shared"],
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            count = found.respondents.count()
            messages.success(
                request,
                ngettext(
                    "Opened “%(title)s” for %(count)s person.",
                    "Opened “%(title)s” for %(count)s people.",
                    count,
                )
                % {"title": found.title, "count": count},
            )
            return redirect("assessments:round", initiative.slug, found.uuid)
    return _page(request, "round_form.html", initiative, form=form)


def _closing_form(found: Round, data=None) -> ClosingDateForm:
    return track(ClosingDateForm(data, initial={"closes_on": found.closes_on}), found)


def _round_page(request, initiative, found: Round, closing_form: ClosingDateForm):
    return _page(
        request,
        "round.html",
        initiative,
        round=found,
        progress=selectors.progress(found),
        may_manage=can(request.user, "assessments.manage", initiative),
        may_see_answers=can(request.user, "assessments.answers", initiative, found),
        closing_form=closing_form,
    )


def round_detail(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "assessments.progress")
    found = _round(initiative, uuid)
    return _round_page(request, initiative, found, _closing_form(found))


def _manage(request, slug, uuid) -> tuple:
    initiative = initiative_for(request.user, slug, "assessments.manage")
    return initiative, _round(initiative, uuid)


def _done(request, action) -> bool:
    try:
        action()
    except ValidationError as exc:
        for error in _errors(exc):
            messages.error(request, error)
        return False
    return True


def round_close(request, slug, uuid):
    """Asks first (GET), closes on the confirmation's POST."""
    initiative, found = _manage(request, slug, uuid)
    if request.method != "POST":
        if found.is_closed():
            messages.info(request, _("This round is closed already."))
            return redirect("assessments:round", initiative.slug, found.uuid)
        return confirm_page(
            request,
            Confirmation(
                question=_("Close “%(title)s” now?") % {"title": found.title},
                explanation=_(
                    "It stops taking answers for good: a closed round does not reopen, and "
                    "those who have not answered can no longer."
                ),
                button=_("Close the round now"),
                cancel_url=reverse("assessments:round", args=[initiative.slug, found.uuid]),
            ),
            initiative=initiative,
            section=SECTION,
        )
    if _done(request, lambda: services.round_close(round=found)):
        messages.success(
            request, _("Closed “%(title)s”. Its results are ready.") % {"title": found.title}
        )
    return redirect("assessments:round", initiative.slug, found.uuid)


@require_POST
def round_closing_date(request, slug, uuid):
    initiative, found = _manage(request, slug, uuid)
    form = _closing_form(found, request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new closing date as a date."))
        return redirect("assessments:round", initiative.slug, found.uuid)
    try:
        services.round_set_closing(
            round=found,
            closes_on=form.cleaned_data["closes_on"],
            by=request.user,
            read_revision=read_revision(form),
        )
    except EditConflict as exc:  # the round page again, with what was saved meanwhile
        add_errors(form, exc)
        return _round_page(request, initiative, found, form)
    except ValidationError as exc:
        for error in _errors(exc):
            messages.error(request, error)
    else:
        messages.success(
            request,
            _("“%(title)s” now closes on %(date)s.")
            % {"title": found.title, "date": services.sentence_day(found.closes_on)},
        )
    return redirect("assessments:round", initiative.slug, found.uuid)


@require_POST
def round_share(request, slug, uuid):
    initiative, found = _manage(request, slug, uuid)
    shared = request.POST.get("shared") == "1"
    services.round_share(round=found, shared=shared)
    messages.success(
        request,
        _("Members may read the results once the round closes.")
        if shared
        else _("The results are for the backbone and evaluators only."),
    )
    return redirect("assessments:round", initiative.slug, found.uuid)


@require_POST
def round_remind(request, slug, uuid):
    initiative, found = _manage(request, slug, uuid)
    summary = services.reminders_send(initiative=initiative, round=found)
    sent, failed = len(summary.sent), len(summary.failed)
    said = [
        ngettext("Sent %(count)s reminder.", "Sent %(count)s reminders.", sent) % {"count": sent}
    ]
    if failed:
        said.append(
            ngettext(
                "%(count)s reminder could not be sent and will be tried again.",
                "%(count)s reminders could not be sent and will be tried again.",
                failed,
            )
            % {"count": failed}
        )
    said.append(_("Nobody is reminded twice in a day."))
    messages.success(request, " ".join(said))
    return redirect("assessments:round", initiative.slug, found.uuid)


# --- answering ------------------------------------------------------------------------


def answer(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "assessments.view")
    found = _round(initiative, uuid)
    respondent = Respondent.objects.of(initiative).filter(round=found, person=request.user).first()
    require(request.user, "assessments.answer", initiative, respondent)
    items = items_of(found.questionnaire_data)
    names = selectors.element_names(initiative, list(dict.fromkeys(i.element for i in items)))
    form = AnswerForm(request.POST or None, items=items)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.response_submit(
                    round=found, person=request.user, answers=form.cleaned_data
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Thank you: your answers are recorded."))
                return redirect("assessments:answer", initiative.slug, found.uuid)
        status = 400
        respondent.refresh_from_db()
    return _page(
        request,
        "answer.html",
        initiative,
        status=status,
        round=found,
        respondent=respondent,
        form=form,
        groups=form.grouped(names),
        is_open=found.is_open(),
    )


# --- results --------------------------------------------------------------------------


def _results(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "assessments.view")
    found = _round(initiative, uuid)
    if not can(request.user, "assessments.results", initiative, found):
        raise PermissionDenied
    return initiative, found


def results(request, slug, uuid):
    initiative, found = _results(request, slug, uuid)
    computed = selectors.results(found)
    scale = next((e.scale for e in computed.elements if e.scale is not None), None)
    names = {e.key: e.name for e in computed.elements}
    sectors = selectors.comparison_table(computed.by_sector, names)
    return _page(
        request,
        "results.html",
        initiative,
        round=found,
        found=computed,
        chart=charts.element_bars(computed.weakest, scale) if computed.enough else None,
        groups_chart=charts.group_bars(sectors, scale) if computed.enough else None,
        cuts=band_cuts(scale) if scale else None,
        scale=scale,
        sectors=sectors,
        community=selectors.comparison_table(computed.community, names),
        may_see_progress=can(request.user, "assessments.progress", initiative),
        may_see_answers=can(request.user, "assessments.answers", initiative, found),
    )


def results_csv(request, slug, uuid):
    initiative, found = _results(request, slug, uuid)
    computed = selectors.results(found)
    if not computed.enough:
        raise Http404(_("No results to export: the round is open or had too few answers."))
    return exports.results_csv(computed)


def answers_csv(request, slug, uuid):
    initiative = initiative_for(request.user, slug, "assessments.view")
    found = _round(initiative, uuid)
    if found.anonymous:
        raise Http404(_("An anonymous round has no answers by respondent."))
    require(request.user, "assessments.answers", initiative, found)
    return exports.answers_csv(found)
