from django.contrib import admin

from .models import County, Municipality, Population


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "county", "police_area"]
    search_fields = ["code", "name"]
    list_filter = ["county"]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["municipality", "year", "population", "source"]
