"""The compiled engine scheme is kept by version id: a published version never changes."""

from __future__ import annotations

import copy

import pytest

from assessments.models import SchemeVersion
from assessments.schemes import services
from tests import factories

pytestmark = pytest.mark.django_db


def test_published_version_is_compiled_once_and_kept_by_id(django_assert_num_queries):
    version = factories.scheme_version("gbt29490-2023")
    compiled = version.engine_scheme
    # Another instance of the same version, as a list query loads it (without the definition):
    # the cached model is found by its id, and the definition is not even read.
    listed = SchemeVersion.objects.defer("definition").get(pk=version.pk)
    with django_assert_num_queries(0):
        assert listed.engine_scheme is compiled


def test_a_new_version_is_not_served_from_the_old_ones_cache(moderator):
    old = factories.scheme_version("gbt29490-2023")
    old_scheme = old.engine_scheme
    definition = copy.deepcopy(old.definition)
    definition["title"]["zh"] = "新版本的体系"
    draft = services.create_version(definition, based_on=old)
    assert draft.engine_scheme.title.zh == "新版本的体系"
    # A draft is kept by its content: an edit is seen at once.
    definition["title"]["zh"] = "改过的草稿"
    services.update_draft(draft, definition)
    edited = SchemeVersion.objects.get(pk=draft.pk)
    assert edited.engine_scheme.title.zh == "改过的草稿"
    published = services.publish(edited, user=moderator)
    fresh = SchemeVersion.objects.defer("definition").get(pk=published.pk)
    assert fresh.engine_scheme.version == published.version != old.version
    assert fresh.engine_scheme.title.zh == "改过的草稿"
    assert SchemeVersion.objects.get(pk=old.pk).engine_scheme is old_scheme
    assert old_scheme.title.zh != "改过的草稿"
