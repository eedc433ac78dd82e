from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(User)
class MedborgarlofteUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "email", "is_active", "is_staff"]
