"""Forms of the set-up of dimensions and their groups, a geography's places nested one inside
another. They validate with the services' own checks; services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from backbone.initiatives.models import Initiative

from ..models import Dimension, Group
from ..selectors import group_tree
from ..services_setup import group_problems


class DimensionForm(forms.ModelForm):
    class Meta:
        model = Dimension
        fields = ["key", "name", "is_geography"]
        labels = {
            "is_geography": _("A geography: places that sit inside one another"),
            "key": _("Key"),
            "name": _("Name"),
        }
        help_texts = {
            "key": _(
                "Short, lower case (race, income, place). "
                "Files and the API use it; it cannot change later."
            ),
            "name": _("As people read it: Race/ethnicity, Family income, Place."),
            "is_geography": _("City › district › neighbourhood."),
        }

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        if self.instance.pk:
            del self.fields["key"]

    def clean_key(self):
        key = self.cleaned_data["key"].strip().lower()
        if Dimension.objects.filter(initiative=self.initiative, key=key).exists():
            raise forms.ValidationError(
                _("Another dimension already uses the key %(key)s.") % {"key": key}
            )
        return key

    def _post_clean(self):
        pass


class GroupChoice(forms.ModelChoiceField):
    def __init__(self, *args, depths: dict[int, int] | None = None, **kwargs):
        self.depths = depths or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Group) -> str:
        return "— " * self.depths.get(obj.pk, 0) + obj.name


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["key", "name", "parent"]
        help_texts = {
            "key": _(
                "Short, lower case (black, low-income, northside). "
                "Files and the API use it; it cannot change later."
            ),
            "name": _("As people read it."),
        }
        labels = {"key": _("Key"), "name": _("Name"), "parent": _("Parent")}

    def __init__(self, *args, dimension: Dimension, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimension = dimension
        if self.instance.pk:
            del self.fields["key"]
        if dimension.is_geography:
            tree = group_tree(list(Group.objects.filter(dimension=dimension)))
            field = GroupChoice(
                queryset=Group.objects.filter(dimension=dimension),
                required=False,
                label=_("Inside"),
                depths={g.pk: depth for g, depth in tree},
                help_text=_(
                    "The place this one belongs to: a district's city, a neighbourhood's district."
                ),
            )
            # The places in tree order, indented by depth.
            field.choices = [("", _("— (a top-level place)"))] + [
                (g.pk, field.label_from_instance(g)) for g, _depth in tree
            ]
            field.initial = self.instance.parent_id
            self.fields["parent"] = field
        else:
            del self.fields["parent"]

    def clean_key(self):
        return self.cleaned_data["key"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        problems = group_problems(
            dimension=self.dimension,
            key=cleaned.get("key"),
            parent=cleaned.get("parent"),
            instance=self.instance if self.instance.pk else None,
        )
        for name, message in problems.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
            elif name not in self.fields:
                self.add_error(None, message)
        return cleaned

    def _post_clean(self):
        pass
