from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.frameworks.models import Framework
from backbone.frameworks.selectors import framework_phases

from . import partner_lists, selectors
from .models import Initiative, Invitation, Organisation, Partner
from .roles import MAY_NAME_ORGANISATION, ORGANISATION_ROLES, Role


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = [
            "name",
            "place",
            "issue_area",
            "start_date",
            "framework",
            "phase",
            "description",
            "logo",
            "visibility",
            "small_number_threshold",
            "two_factor_required",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "phase": forms.Select(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "name": _("Name"),
            "place": _("Place"),
            "issue_area": _("Issue area"),
            "start_date": _("Start date"),
            "framework": _("Framework"),
            "phase": _("Phase"),
            "description": _("Description"),
            "logo": _("Logo"),
            "visibility": _("Visibility"),
            "small_number_threshold": _("Small number threshold"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        framework = self.instance.framework if self.instance.pk else None
        if framework is None:
            framework = Framework.objects.order_by("name").first()
            self.fields["framework"].initial = framework
        choices = []
        for fw in Framework.objects.all():
            choices += [(e["key"], f"{e['name']} ({fw.name})") for e in framework_phases(fw)]
        self.fields["phase"].widget.choices = [("", "—")] + choices
        self.fields["phase"].help_text = _("Where the initiative stands in its framework's phases.")

    def clean(self):
        data = super().clean()
        phase, framework = data.get("phase"), data.get("framework")
        if phase and phase not in {e["key"] for e in framework_phases(framework)}:
            self.add_error("phase", _("Choose a phase of the chosen framework."))
        return data


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "sector", "size", "website", "profile"]
        widgets = {"profile": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "name": _("Name"),
            "sector": _("Sector"),
            "size": _("Size"),
            "profile": _("Profile"),
        }


class PartnerAddForm(forms.Form):
    """Add an existing organisation, or describe a new one, as a partner."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("An organisation already on Backbone"),
    )
    name = forms.CharField(max_length=200, required=False, label=_("Or a new organisation: name"))
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", "—")] + list(Organisation._meta.get_field("sector").choices),
        required=False,
    )
    joined_on = forms.DateField(
        label=_("Joined on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        initial=timezone.localdate,
        help_text=_("Today unless you say otherwise."),
    )

    def __init__(self, *args, initiative: Initiative, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.fields["organisation"].queryset = selectors.organisations_offered(person, initiative)
        self.fields["organisation"].help_text = _(
            "Organisations that are partners of no initiative, or of one you belong to."
        )

    def clean_joined_on(self):
        return self.cleaned_data.get("joined_on") or timezone.localdate()

    def clean(self):
        data = super().clean()
        if data.get("organisation") and data.get("name"):
            raise forms.ValidationError(
                _("Choose an existing organisation or name a new one, not both.")
            )
        if not data.get("organisation"):
            if not data.get("name"):
                self.add_error("name", _("Name the new organisation, or choose an existing one."))
            if not data.get("sector"):
                self.add_error("sector", _("A new organisation needs a sector."))
        return data


class PartnerListForm(forms.Form):
    """Several partners at once: a pasted list or a CSV file, read by `partner_lists`."""

    names = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        strip=False,  # line numbers in problems count from the first line as typed
        label=_("Organisations, one a line"),
        help_text=_(
            "A name, or a name and its sector: “Eastgate Clinic, Health”. Organisations "
            "already on Backbone are matched by name; a new one without a sector is filed under "
            "Other until you set it."
        ),
    )
    file = forms.FileField(
        required=False,
        label=_("Or a CSV file"),
        help_text=_("Columns name, and optionally sector and joined_on (YYYY-MM-DD)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    joined_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
        label=_("Joined on"),
        help_text=_("For every organisation whose line gives no date."),
    )

    #: An upload larger than this is not a list of partners.
    MAX_FILE_BYTES = 1_000_000

    def clean(self):
        data = super().clean()
        text, upload = data.get("names", ""), data.get("file")
        names = text if text.strip() else ""
        if names and upload:
            raise forms.ValidationError(_("Paste a list or choose a file, not both."))
        if not names and not upload:
            raise forms.ValidationError(_("Paste a list of organisations or choose a CSV file."))
        field = "names" if names else "file"
        try:
            if names:
                data["lines"] = partner_lists.lines_from_text(names)
            elif upload.size > self.MAX_FILE_BYTES:
                raise partner_lists.PartnerListError(
                    [partner_lists.LineProblem(None, "file", _("larger than 1 MB."))]
                )
            else:
                data["lines"] = partner_lists.lines_from_csv(upload.read())
        except partner_lists.PartnerListError as exc:
            for problem in exc.problems:
                self.add_error(field, str(problem))
            return data
        if not data["lines"]:
            self.add_error(field, _("No organisation in it."))
        return data


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["status", "joined_on", "commitment"]
        widgets = {
            "joined_on": forms.DateInput(attrs={"type": "date"}),
            "commitment": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"status": _("Status"), "joined_on": _("Joined on"), "commitment": _("Commitment")}


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "name", "role", "organisation"]
        labels = {
            "email": _("Email"),
            "name": _("Name"),
            "role": _("Role"),
            "organisation": _("Organisation"),
        }

    def __init__(self, *args, initiative: Initiative, allowed_roles, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in allowed_roles]
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].required = False
        self.fields["organisation"].help_text = _(
            "Required for partner stewards and members; for a funder, the organisation whose "
            "grants it may see."
        )

    def clean(self):
        data = super().clean()
        role, org = data.get("role"), data.get("organisation")
        if role in ORGANISATION_ROLES and not org:
            self.add_error(
                "organisation", _("Partner stewards and members act for an organisation.")
            )
        if role and role not in MAY_NAME_ORGANISATION:
            data["organisation"] = None
        return data


class MembershipForm(forms.Form):
    """Another role or organisation for one role a person holds. A steward's people stay in
    the steward's organisation: the field is shown, and fixed."""

    role = forms.ChoiceField(label=_("Role"))
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("Organisation")
    )

    def __init__(self, *args, membership, allowed_roles, organisations, may_move: bool, **kwargs):
        kwargs.setdefault(
            "initial", {"role": membership.role, "organisation": membership.organisation}
        )
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in allowed_roles]
        field = self.fields["organisation"]
        field.queryset = organisations
        if may_move:
            field.help_text = _(
                "Required for partner stewards and members; for a funder, the organisation "
                "whose grants it may see."
            )
        else:
            field.disabled = True
            field.help_text = _("People stay in your organisation; the backbone can move them.")

    def clean(self):
        data = super().clean()
        role, org = data.get("role"), data.get("organisation")
        if role in ORGANISATION_ROLES and not org:
            self.add_error(
                "organisation", _("Partner stewards and members act for an organisation.")
            )
        if role and role not in MAY_NAME_ORGANISATION:
            data["organisation"] = None
        return data
