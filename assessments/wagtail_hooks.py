from wagtail import hooks

from assessments.schemes.admin_views import SchemeVersionViewSet


@hooks.register("register_admin_viewset")
def register_scheme_versions():
    return SchemeVersionViewSet("assessments_schemeversion", url_prefix="schemes")
