import pytest

from portal.accounts.choices import Roles
from tests import factories


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests run with the production-like defaults but fast hashing and no real e-mail."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from portal.core import wagtail_lookups

    # Each test's database is rolled back without signals: forget what earlier tests cached.
    wagtail_lookups.clear()
    cache.clear()
    yield
    cache.clear()
    wagtail_lookups.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request to an /en/ address leaves English
    active in the thread (the locale middleware activates it and never resets it)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def enterprise(db):
    return factories.EnterpriseFactory()


@pytest.fixture
def owner(enterprise):
    return factories.company_user(enterprise, username="owner-a")


@pytest.fixture
def other_enterprise_owner(db):
    return factories.company_user(username="owner-b")


@pytest.fixture
def editor(db):
    return factories.UserFactory(username="editor", groups=[Roles.EDITOR])


@pytest.fixture
def moderator(db):
    return factories.UserFactory(username="moderator", groups=[Roles.MODERATOR])


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture(scope="session")
def _signing_key_file(tmp_path_factory):
    return tmp_path_factory.mktemp("signing") / "development.p12"


@pytest.fixture(autouse=True)
def _development_signing_key(monkeypatch, _signing_key_file):
    """PDFs are signed with one development key per test session, generated in a temporary
    folder (never in the working tree's DATA_DIR)."""
    from assessments.reports import signing

    monkeypatch.setattr(signing, "development_key_path", lambda: _signing_key_file)
