"""A framework as loaded from its data file; the file stays the source of truth."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    version = models.CharField(max_length=40, blank=True)
    source_file = models.CharField(max_length=200)
    data = models.JSONField(help_text=_("The validated content of the framework file."))
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
