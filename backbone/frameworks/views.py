"""The framework page of an initiative: its chosen framework, section by section."""

from django.shortcuts import render

from backbone.permissions import initiative_for

from .selectors import framework_choices, framework_phase_name, framework_sections, phase_table


def initiative_framework(request, slug):
    initiative = initiative_for(request.user, slug, "framework.view")
    framework = initiative.framework
    context = {"initiative": initiative, "section": "framework", "framework": framework}
    if framework is None:
        context["frameworks"] = framework_choices()
    else:
        context["sections"] = framework_sections(framework)
        context["phases"] = phase_table(framework, current=initiative.phase)
        context["phase_name"] = framework_phase_name(framework, initiative.phase)
    return render(request, "frameworks/initiative.html", context)
