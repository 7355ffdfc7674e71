"""`{{ grant.amount|money:grant.currency }}` → "USD 420,000": the one way pages write money."""

from django import template

from backbone.money import format_money

register = template.Library()


@register.filter
def money(amount, currency: str = "") -> str:
    return format_money(amount, currency)
