"""The platform administrator's view of shared measurement. Values and their history are
read-only here: they change only through the intake, so every change keeps its history."""

from django import forms
from django.contrib import admin

from .models import (
    ApiToken,
    DataValue,
    Dhis2Mapping,
    Dimension,
    Group,
    Indicator,
    IndicatorDimension,
    Period,
    Submission,
    Target,
    ValueChange,
)
from .services_setup import INDICATOR_FIELDS, indicator_problems


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class GroupInline(admin.TabularInline):
    model = Group
    fk_name = "dimension"
    fields = ["key", "name", "parent", "position"]
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "initiative", "is_geography", "position"]
    list_filter = ["initiative", "is_geography"]
    search_fields = ["name", "key"]
    inlines = [GroupInline]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "dimension", "parent", "initiative"]
    list_filter = ["initiative", "dimension"]
    search_fields = ["name", "key"]


class IndicatorDimensionInline(admin.TabularInline):
    model = IndicatorDimension
    fields = ["dimension", "position"]
    extra = 0


class IndicatorAdminForm(forms.ModelForm):
    """An indicator edited here keeps the rules the backbone's form and the services keep
    (a percent is never summed, how values add up is fixed once reported, …). The admin
    gives it its model and fields."""

    def clean(self):
        cleaned = super().clean()
        initiative = cleaned.get("initiative")
        if initiative is None:
            return cleaned
        values = {name: cleaned[name] for name in INDICATOR_FIELDS if name in cleaned}
        instance = self.instance if self.instance.pk else None
        for name, message in indicator_problems(
            values, initiative=initiative, instance=instance
        ).items():
            self.add_error(name if name in self.fields else None, message)
        return cleaned


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorAdminForm
    list_display = ["name", "code", "initiative", "kind", "unit", "aggregation", "visibility"]
    list_filter = ["initiative", "kind", "aggregation", "visibility", "frequency"]
    search_fields = ["name", "code"]
    inlines = [IndicatorDimensionInline]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "initiative", "start", "end", "due", "status"]
    list_filter = ["initiative", "kind", "status"]
    search_fields = ["code"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "kind", "period", "cell", "value"]
    list_filter = ["initiative", "kind"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnly):
    list_display = ["partner", "initiative", "channel", "status", "value_count", "created_at"]
    list_filter = ["initiative", "status", "channel"]


@admin.register(DataValue)
class DataValueAdmin(ReadOnly):
    list_display = [
        "indicator",
        "partner",
        "period",
        "cell",
        "value",
        "missing",
        "status",
        "updated_at",
    ]
    list_filter = ["initiative", "status"]
    list_select_related = ["indicator", "partner__organisation", "period", "cell"]


@admin.register(ValueChange)
class ValueChangeAdmin(ReadOnly):
    list_display = ["data_value", "old_value", "new_value", "changed_by", "changed_at", "reason"]
    list_filter = ["initiative"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are revoked here; they are created by partner stewards, who alone see them."""

    list_display = ["name", "prefix", "partner", "initiative", "created_at", "revoked_at"]
    list_filter = ["initiative"]
    exclude = ["token_hash"]
    readonly_fields = ["prefix", "partner", "initiative", "created_by", "last_used_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dhis2Mapping)
class Dhis2MappingAdmin(admin.ModelAdmin):
    list_display = ["kind", "code", "initiative", "indicator", "cell", "place"]
    list_filter = ["initiative", "kind"]
