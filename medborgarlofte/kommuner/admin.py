from django.contrib import admin

from .models import County, Municipality, Population


class ReferenceDataAdmin(admin.ModelAdmin):
    """The 21 län and 290 kommuner are reference data (migrations): never deleted here.
    The delete page would also list every row that refers to a kommun, police-only
    intelligence summaries and the audit log's reads of them included."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(County)
class CountyAdmin(ReferenceDataAdmin):
    list_display = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(ReferenceDataAdmin):
    list_display = ["code", "name", "county", "police_area"]
    search_fields = ["code", "name"]
    list_filter = ["county"]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["municipality", "year", "population", "source"]
