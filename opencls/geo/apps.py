from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "opencls.geo"
    verbose_name = "Géographie officielle (COG)"
