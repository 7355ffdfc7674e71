"""The set-up page of reporting periods: generate them, open and close them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backbone.initiatives.models import Initiative
from backbone.permissions import can, initiative_for

from .. import selectors
from .. import services_setup as services
from ..models import Period
from .forms_setup_periods import (
    PeriodsGenerateForm,
)
from .views_setup import (
    initiative_or_refuse,
    page_context,
    show_refusal,
    sign_in_when_anonymous,
)

# --- periods -----------------------------------------------------------------------------------


@sign_in_when_anonymous
def periods(request, slug):
    """Periods by kind. Backbone staff generate a run (`action=generate`) and open or close
    one period (`action=open|close`, `period=<code>`)."""
    initiative = initiative_for(request.user, slug, "measurement.view")
    may_manage = can(request.user, "measurement.manage", initiative)
    action = request.POST.get("action", "generate") if request.method == "POST" else None
    if action is not None:
        initiative_or_refuse(request, slug, "measurement.manage")
    if action in {"open", "close"}:
        return _period_status(request, initiative, action)
    if action not in {None, "generate"}:
        raise Http404(_("No such action."))
    form = None
    if may_manage:
        form = PeriodsGenerateForm(request.POST or None)
        if action == "generate" and form.is_valid():
            try:
                run = services.periods_generate(initiative=initiative, **form.cleaned_data)
            except services.SetupError as exc:
                show_refusal(form, exc)
            else:
                made = len(run.created)
                text = ngettext("%(count)s period created.", "%(count)s periods created.", made) % {
                    "count": made
                }
                if run.existing:
                    existed = len(run.existing)
                    text += " " + ngettext(
                        "%(count)s existed already: %(codes)s.",
                        "%(count)s existed already: %(codes)s.",
                        existed,
                    ) % {"count": existed, "codes": ", ".join(run.existing)}
                messages.success(request, text)
                return redirect("measurement:periods", initiative.slug)
    return render(
        request,
        "measurement/setup/periods.html",
        page_context(
            initiative,
            by_kind=[
                (kind, Period.Kind(kind).label, found)
                for kind, found in selectors.periods_by_kind(initiative, latest_first=True).items()
            ],
            form=form,
            today=timezone.localdate(),
        ),
    )


def _period_status(request, initiative: Initiative, action: str):
    period = selectors.period_in(initiative, request.POST.get("period", ""))
    if period is None:
        raise Http404(_("No such period."))
    who = request.user.name or request.user.email
    if action == "close":
        if services.period_close(period=period, by=request.user):
            when = date_format(timezone.localtime(), "d M Y, H:i")
            messages.success(
                request,
                _(
                    "%(period)s closed by %(who)s on %(when)s. Partners can no longer report for "
                    "it; the backbone can still correct its values."
                )
                % {"period": period.label, "who": who, "when": when},
            )
        else:
            messages.info(request, _("%(period)s was closed already.") % {"period": period.label})
    elif services.period_open(period=period, by=request.user):
        messages.success(
            request,
            _("%(period)s is open for reporting again (%(who)s).")
            % {"period": period.label, "who": who},
        )
    else:
        messages.info(request, _("%(period)s was open already.") % {"period": period.label})
    return redirect("measurement:periods", initiative.slug)
