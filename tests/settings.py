"""Settings of the test suite (pyproject.toml: ``DJANGO_SETTINGS_MODULE``): the portal's
settings in development mode, turned on here explicitly because the portal's default is
production. pytest-django still runs the tests themselves with ``DEBUG`` off."""

import os

os.environ["DEBUG"] = "1"

from portal.settings import *  # noqa: F403
