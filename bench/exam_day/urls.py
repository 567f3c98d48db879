"""The product's URLs, with the ceiling view in front (bench only)."""
from django.urls import path

from config.urls import urlpatterns as product_urlpatterns

from .ceiling import ceiling_save

urlpatterns = [path("bench/ceiling/save/", ceiling_save, name="bench_ceiling_save"),
               *product_urlpatterns]
