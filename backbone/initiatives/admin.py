from django.contrib import admin

from .models import Initiative, Invitation, Membership, Organisation, Partner


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "issue_area", "visibility", "framework"]
    search_fields = ["name", "place"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "size"]
    list_filter = ["sector"]
    search_fields = ["name"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["organisation", "initiative", "status", "joined_on"]
    list_filter = ["status", "initiative"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "initiative", "role", "organisation"]
    list_filter = ["role", "initiative"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "initiative", "role", "organisation", "created_at", "accepted_at"]
    exclude = ["token_hash"]
