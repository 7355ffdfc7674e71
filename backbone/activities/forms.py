"""The activity form and the 4W filter; both offer only this initiative's things."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from backbone.agenda.models import Strategy
from backbone.initiatives.models import Initiative, Partner
from backbone.initiatives.roles import Sector
from backbone.measurement.models import Group, Indicator

from .models import Activity
from .selectors import ActivityFilter
from .services import ActivityData, activity_problems


class PartnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.organisation.name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _strategies(initiative: Initiative):
    return Strategy.objects.filter(initiative=initiative).order_by(
        "goal__position", "position", "id"
    )


def _groups(initiative: Initiative, geography: bool):
    return Group.objects.filter(
        initiative=initiative, dimension__is_geography=geography
    ).select_related("dimension")


class ActivityForm(forms.Form):
    partner = PartnerChoice(queryset=Partner.objects.none(), label=gettext_lazy("Partner"))
    name = forms.CharField(label=gettext_lazy("What"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    strategies = forms.ModelMultipleChoiceField(
        queryset=Strategy.objects.none(),
        label=gettext_lazy("Strategies"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The strategies of the common agenda it serves."),
    )
    places = forms.ModelMultipleChoiceField(
        queryset=Group.objects.none(),
        required=False,
        label=gettext_lazy("Where"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("A district includes its neighbourhoods."),
    )
    place_text = forms.CharField(label=gettext_lazy("Where"), max_length=200, required=False)
    groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.none(),
        required=False,
        label=gettext_lazy("For whom"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Population groups it serves; none chosen means everyone."),
    )
    starts_on = forms.DateField(label=gettext_lazy("Starts"), widget=DateInput())
    ends_on = forms.DateField(
        label=gettext_lazy("Ends"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Leave empty if ongoing."),
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Activity.Status.choices)
    indicators = forms.ModelMultipleChoiceField(
        queryset=Indicator.objects.none(),
        required=False,
        label=gettext_lazy("Indicators it contributes to"),
    )
    depends_on = forms.ModelMultipleChoiceField(
        queryset=Activity.objects.none(), required=False, label=gettext_lazy("Depends on")
    )

    def __init__(
        self, *args, initiative: Initiative, partners, activity: Activity | None = None, **kwargs
    ):
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "partner": activity.partner,
                "name": activity.name,
                "description": activity.description,
                "place_text": activity.place_text,
                "starts_on": activity.starts_on,
                "ends_on": activity.ends_on,
                "status": activity.status,
                **{
                    name: list(getattr(activity, name).all())
                    for name in ("strategies", "places", "groups", "indicators", "depends_on")
                },
            }
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.activity = activity
        self.fields["partner"].queryset = partners
        if len(partners) == 1:
            self.fields["partner"].initial = partners[0]
        self.fields["strategies"].queryset = _strategies(initiative)
        self.fields["places"].queryset = _groups(initiative, True)
        self.fields["groups"].queryset = _groups(initiative, False)
        self.fields["indicators"].queryset = Indicator.objects.filter(initiative=initiative)
        others = Activity.objects.filter(initiative=initiative).select_related(
            "partner__organisation"
        )
        if activity is not None:
            others = others.exclude(pk=activity.pk)
        self.fields["depends_on"].queryset = others
        self.fields["depends_on"].label_from_instance = lambda a: (
            f"{a.name} ({a.partner.organisation.name})"
        )
        if self.fields["places"].queryset.exists():
            del self.fields["place_text"]
        else:
            del self.fields["places"]

    def data_for_service(self) -> ActivityData:
        c = self.cleaned_data
        return ActivityData(
            partner=c["partner"],
            name=c["name"],
            description=c.get("description", ""),
            strategies=list(c["strategies"]),
            places=list(c.get("places") or []),
            place_text=c.get("place_text", ""),
            groups=list(c.get("groups") or []),
            starts_on=c["starts_on"],
            ends_on=c.get("ends_on"),
            status=c["status"],
            indicators=list(c.get("indicators") or []),
            depends_on=list(c.get("depends_on") or []),
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        problems = activity_problems(
            initiative=self.initiative, data=self.data_for_service(), activity=self.activity
        )
        for name, messages in problems.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        return cleaned


class FourWFilterForm(forms.Form):
    """Filters of the 4W view, read from the query string (uuids and slugs, never ids)."""

    strategy = forms.ModelChoiceField(
        queryset=Strategy.objects.none(),
        required=False,
        to_field_name="uuid",
        label=gettext_lazy("Strategy"),
    )
    partner = forms.ChoiceField(required=False, label=gettext_lazy("Partner"))
    sector = forms.ChoiceField(
        choices=[("", gettext_lazy("Any sector")), *Sector.choices],
        required=False,
        label=gettext_lazy("Sector"),
    )
    place = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        to_field_name="uuid",
        label=gettext_lazy("Place"),
    )
    status = forms.ChoiceField(
        choices=[("", gettext_lazy("Any status")), *Activity.Status.choices],
        required=False,
        label=gettext_lazy("Status"),
    )
    start = forms.DateField(label=gettext_lazy("Running from"), required=False, widget=DateInput())
    end = forms.DateField(
        label=pgettext_lazy("end of a date range", "to"), required=False, widget=DateInput()
    )

    def __init__(self, *args, initiative: Initiative, place_list: list[Group], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = _strategies(initiative)
        self.fields["strategy"].empty_label = _("Any strategy")
        self.partners = {
            p.organisation.slug: p
            for p in Partner.objects.filter(initiative=initiative).select_related("organisation")
        }
        self.fields["partner"].choices = [("", _("Any partner"))] + [
            (slug, p.organisation.name) for slug, p in self.partners.items()
        ]
        place = self.fields["place"]
        place.queryset = Group.objects.filter(pk__in=[g.pk for g in place_list])
        place.empty_label = _("Anywhere")
        place.choices = [("", _("Anywhere"))] + [
            (str(g.uuid), "\u2003" * g.depth + g.name) for g in place_list
        ]
        if not place_list:
            del self.fields["place"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot come before the start."))
        return cleaned

    def chosen(self) -> ActivityFilter:
        if not self.is_valid():
            return ActivityFilter()
        c = self.cleaned_data
        return ActivityFilter(
            strategy=c.get("strategy"),
            partner=self.partners.get(c.get("partner") or ""),
            sector=c.get("sector") or "",
            place=c.get("place"),
            status=c.get("status") or "",
            start=c.get("start"),
            end=c.get("end"),
        )
