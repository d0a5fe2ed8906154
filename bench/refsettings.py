"""Settings of the reference server: the product's settings with the bench URLconf on top.

Used only by the benchmark (DJANGO_SETTINGS_MODULE=refsettings, bench/ on the path); the product
never imports it.
"""

from grassroots.settings import *  # noqa: F403

ROOT_URLCONF = "refurls"
