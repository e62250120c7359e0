"""The fixed round trips of a signed-in request: the session, the user and what the page shows.

The header's role questions are answered once per session (``portal.accounts.navigation``) and
Wagtail's site, locale and view-restriction look-ups from memory
(``portal.core.wagtail_lookups``); these tests pin the bounds that leaves and check that a
changed role or a new view restriction still applies at once.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Site

from assessments.wizard import services
from portal.accounts import navigation
from portal.accounts.choices import Roles
from portal.accounts.models import ReviewerProfile
from portal.core import wagtail_lookups
from tests import factories

pytestmark = pytest.mark.django_db

# session, user, membership, the draft (its scheme version joined), its evidence, and whether
# a newer version of the scheme is published (an open draft moves to it)
STEP_BOUND = 6
# as the step, plus the submission, the previous one, the linked policy page, the reports,
# the improvement plan and the peer benchmark
RESULTS_BOUND = 10
# as the step, plus the dashboard's lists and panels
DASHBOARD_BOUND = 11


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def test_wizard_step_in_a_fixed_number_of_queries(signed_in, owner, django_assert_max_num_queries):
    version = factories.scheme_version("gbt29490-2023")
    draft, _ = services.start_assessment(
        enterprise=owner.membership.enterprise, version=version, user=owner
    )
    step = services.plan_for(draft).steps[1]
    url = reverse("wizard:step", args=[draft.pk, step.key])
    signed_in.get(url)  # the first page of the session asks the navigation questions
    with django_assert_max_num_queries(STEP_BOUND):
        response = signed_in.get(url)
    assert response.status_code == 200


def test_results_and_dashboard_bounds(signed_in, owner, django_assert_max_num_queries):
    submission = factories.make_submission(
        owner.membership.enterprise, code="gbt29490-2023", user=owner
    )
    url = reverse("wizard:results", args=[submission.pk])
    signed_in.get(url)
    with django_assert_max_num_queries(RESULTS_BOUND):
        assert signed_in.get(url).status_code == 200
    with django_assert_max_num_queries(DASHBOARD_BOUND):
        assert signed_in.get(reverse("dashboard:home")).status_code == 200


def test_navigation_is_asked_once_per_session(client, owner, monkeypatch):
    client.force_login(owner)
    request = client.get(reverse("dashboard:home")).wsgi_request
    assert request.session[navigation.SESSION_KEY]["links"] == {
        "review": False,
        "transfer": False,
        "cms": False,
    }

    def ask_again(*args):
        raise AssertionError("the navigation questions were asked again")

    monkeypatch.setattr(navigation, "_remember", ask_again)
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_a_new_role_shows_its_link_on_the_next_page(client):
    user = factories.UserFactory(username="becomes-reviewer")
    client.force_login(user)
    review = reverse("review:queue")
    assert f'href="{review}"' not in client.get(reverse("dashboard:home")).content.decode()
    # The group first: the reviewer profile's save, the second change, also renews the stamp.
    user.groups.add(Group.objects.get(name=Roles.REVIEWER))
    ReviewerProfile.objects.create(user=user)
    assert f'href="{review}"' in client.get(reverse("dashboard:home")).content.decode()
    user.groups.clear()
    assert f'href="{review}"' not in client.get(reverse("dashboard:home")).content.decode()


def test_a_new_view_restriction_applies_at_once(client):
    home = Site.objects.get(is_default_site=True).root_page.specific
    assert client.get(home.url).status_code == 200  # caches that no page is restricted
    assert wagtail_lookups.restricted_pages() == ()
    PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(home.url)
    assert response.status_code == 302  # to the sign-in page
    assert not Page.objects.public().filter(pk=home.pk).exists()
    PageViewRestriction.objects.filter(page=home).delete()
    assert client.get(home.url).status_code == 200


def test_site_look_up_is_kept_and_cleared_on_change(rf, django_assert_num_queries):
    request = rf.get("/")
    first = Site.find_for_request(request)
    with django_assert_num_queries(0):
        again = Site.find_for_request(rf.get("/"))
    assert again.pk == first.pk and again is not first
    assert again.root_page.pk == first.root_page.pk
    first.site_name = "renamed"
    first.save()
    assert Site.find_for_request(rf.get("/")).site_name == "renamed"


def test_review_pages_keep_the_header_links(client):
    # The review pages have a "nav" of their own (the workspace's tabs): the header's links
    # must not depend on it.
    lead = factories.reviewer(lead=True, username="lead-reviewer")
    client.force_login(lead)
    html = client.get(reverse("review:queue")).content.decode()
    assert f'href="{reverse("accounts:verifications")}"' in html
    assert f'href="{reverse("transfer:index")}"' in html


def test_another_users_new_role_does_not_renew_this_session(client, owner, monkeypatch):
    client.force_login(owner)
    client.get(reverse("dashboard:home"))
    factories.reviewer(username="someone-else")  # groups and a reviewer profile of another user

    def ask_again(*args):
        raise AssertionError("the navigation questions were asked again")

    monkeypatch.setattr(navigation, "_remember", ask_again)
    assert client.get(reverse("dashboard:home")).status_code == 200
