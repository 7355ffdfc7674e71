"""The alert setting's form; the model's validators are the service's too."""

from __future__ import annotations

from django import forms

from .models import AlertSetting


class AlertSettingForm(forms.ModelForm):
    class Meta:
        model = AlertSetting
        fields = ["quiet_after_days"]
