"""Django's admin app, configured with our role-based site."""

from django.contrib.admin.apps import AdminConfig


class GrassrootsAdminConfig(AdminConfig):
    """Django's admin with the role-based site of `core.admin.Site`."""

    default_site = "grassroots.core.adminsite.Site"
