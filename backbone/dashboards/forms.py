from django import forms

from .models import Story


class StoryForm(forms.ModelForm):
    class Meta:
        model = Story
        fields = ["behind_the_curve", "partners_with_a_role", "what_works", "action_plan"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}
