"""Authorization matrix: every URL of the portal, visited as every kind of user.

The URL patterns are enumerated from the URL configuration (``get_resolver()``, recursively, with
namespaces and the i18n prefix) and the pages from the Wagtail page tree, so a new URL fails
``test_every_url_pattern_is_classified`` until it is given an expected status per role in
``MATRIX`` (or falls under a prefix rule). Object URLs are filled with objects of enterprise A:
B's member and the reviewer out of scope must not see them.

Roles: ``anon``, ``member_a`` (owner of enterprise A, region 420900 孝感市), ``member_b``
(owner of enterprise B), ``reviewer_in`` (lead reviewer for 湖北省, which covers A's city),
``reviewer_out`` (lead reviewer for 广东省), ``editor`` (Editors group), ``admin``
(superuser).

URLs inside the language prefix are visited in Chinese (no prefix) and, as anonymous and as A's
member, in English (``/en/``) too. Every request is a GET. Views that only accept POST must answer 405 (or send an anonymous user to
the login page first), never 500.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.accounts import roles
from portal.accounts.choices import MemberRole, Roles
from tests import factories

ROLES = ("anon", "member_a", "member_b", "reviewer_in", "reviewer_out", "editor", "admin")
STAFF = ("editor", "admin")
NON_STAFF = ("anon", "member_a", "member_b", "reviewer_in", "reviewer_out")

# Expected outcomes.
OK = "200"  # the page (or file) is served
LOGIN = "login"  # 302 to the login page
REDIRECT = "302"  # a redirect somewhere other than the login page
NOT_FOUND = "404"
FORBIDDEN = "403"
NOT_ALLOWED = "405"  # GET on a POST-only view
GONE = "410"


def _row(**by_role: str) -> dict[str, str]:
    default = by_role.pop("default", None)
    row = {role: by_role.get(role, default) for role in ROLES}
    missing = [role for role, value in row.items() if value is None]
    assert not missing, f"row without a value for {missing}"
    return row


def public(expected: str = OK) -> dict[str, str]:
    return _row(default=expected)


def signed_in(anon: str = LOGIN, **by_role: str) -> dict[str, str]:
    """A view behind login: anonymous users go to the login page."""
    return _row(anon=anon, **by_role)


# --- The classification table: url name -> role -> expected ---------------------------------
# A's objects: member_a sees them; member_b, reviewers and editors get 404 for company pages.

COMPANY_OBJECT = signed_in(default=NOT_FOUND, member_a=OK)
COMPANY_POST_ONLY = signed_in(default=NOT_ALLOWED)
# require_POST applied before login_required: the method is refused before anything else.
POST_ONLY = public(NOT_ALLOWED)
REPORT = signed_in(default=NOT_FOUND, member_a=OK, reviewer_in=OK, admin=OK)
REVIEWER_PAGE = signed_in(
    default=FORBIDDEN, reviewer_in=OK, reviewer_out=OK, admin=OK
)  # reviewer_required: login, then 403 for non-reviewers
REVIEWER_OBJECT = signed_in(default=FORBIDDEN, reviewer_in=OK, reviewer_out=NOT_FOUND, admin=OK)
REVIEWER_POST_ONLY = POST_ONLY
TRANSFER_PAGE = signed_in(default=NOT_FOUND, reviewer_in=OK, reviewer_out=OK, admin=OK)
TRANSFER_POST_ONLY = POST_ONLY

MATRIX: dict[str, dict[str, str]] = {
    # Site-wide, outside the language prefix.
    "healthz": public(),
    "set_language": public(REDIRECT),  # GET without "next" goes back to "/"
    "sitemap": public(),
    "robots_txt": public(),
    "wagtaildocs_serve": public(NOT_FOUND),  # no document with the filled id
    "wagtaildocs_authenticate_with_password": public(NOT_FOUND),
    "wagtailcore_authenticate_with_password": public(NOT_FOUND),
    "wagtailcore_login": public(),
    "wagtail_serve": public(),  # the home page; every other live page: test_wagtail_pages
    # Accounts.
    # Signed-in users are sent on (to the page for their role, or the dashboard).
    "accounts:login": _row(default=REDIRECT, anon=OK),
    "accounts:logout": public(NOT_ALLOWED),  # Django 5 logs out on POST only
    "accounts:register": _row(default=REDIRECT, anon=OK),
    "accounts:register-sent": public(),
    "accounts:register-resend": public(),
    # A valid confirmation link: the password page for anyone signed out (GET uses nothing up).
    "accounts:register-confirm": _row(default=REDIRECT, anon=OK),
    "accounts:after-login": signed_in(default=REDIRECT),
    "accounts:password_change": signed_in(default=OK),
    "accounts:password_change_done": signed_in(default=OK),
    "accounts:password_reset": public(),
    "accounts:password_reset_done": public(),
    "accounts:password_reset_confirm": public(REDIRECT),  # valid token -> set-password URL
    "accounts:password_reset_complete": public(),
    "accounts:invitation-accept": public(),  # the page explains the invitation to anyone
    "accounts:verifications": signed_in(
        default=NOT_FOUND, reviewer_in=OK, reviewer_out=OK, admin=OK
    ),
    "accounts:verify-enterprise": signed_in(default=NOT_ALLOWED),
    # Company dashboard.
    "dashboard:home": signed_in(default=OK),
    # The owner edits their own enterprise's profile; anyone without one gets 404.
    "dashboard:profile": signed_in(default=NOT_FOUND, member_a=OK, member_b=OK),
    "dashboard:invite": COMPANY_POST_ONLY,
    "dashboard:invitation-revoke": COMPANY_POST_ONLY,
    "dashboard:member-remove": COMPANY_POST_ONLY,
    # Wizard and results.
    "wizard:start": COMPANY_POST_ONLY,
    "wizard:resume": signed_in(default=NOT_FOUND, member_a=REDIRECT),
    "wizard:step": COMPANY_OBJECT,
    "wizard:review": COMPANY_OBJECT,
    "wizard:submit": COMPANY_POST_ONLY,
    "wizard:restore": signed_in(default=NOT_FOUND, member_a=REDIRECT),  # unknown stash token
    "wizard:results": COMPANY_OBJECT,
    "wizard:evidence": COMPANY_OBJECT,
    "wizard:intro": public(),  # a firm may read it before it registers
    "wizard:questions": public(),
    "wizard:autosave": COMPANY_POST_ONLY,
    "wizard:discard": COMPANY_OBJECT,  # GET asks first; only a POST discards
    "wizard:convert": COMPANY_POST_ONLY,
    # Reports and verification.
    # Reports: the enterprise's members and reviewers whose scope covers it (docs/reports.md).
    "reports:detail": REPORT,
    "reports:download": REPORT,
    "reports:status": REPORT,
    "verify:home": public(),
    "verify:detail": public(),
    # Import and export: administrators and lead reviewers (their own scope), 404 for others.
    "transfer:index": TRANSFER_PAGE,
    "transfer:import-enterprises": TRANSFER_PAGE,
    "transfer:export-enterprises": TRANSFER_POST_ONLY,
    "transfer:enterprise-template": TRANSFER_PAGE,
    "transfer:export-applications": TRANSFER_PAGE,
    "transfer:export-dossiers": TRANSFER_PAGE,
    "transfer:export-submissions": TRANSFER_POST_ONLY,
    "transfer:schemes": TRANSFER_PAGE,
    "transfer:scheme-export": TRANSFER_PAGE,
    # The job was started by the admin: nobody else sees it.
    "transfer:job": signed_in(default=NOT_FOUND, admin=OK),
    "transfer:job-status": signed_in(default=NOT_FOUND, admin=OK),
    "transfer:job-confirm": TRANSFER_POST_ONLY,
    "transfer:job-download": signed_in(default=NOT_FOUND, admin=OK),
    "transfer:job-report": signed_in(default=NOT_FOUND, admin=OK),
    "transfer:job-retry": TRANSFER_POST_ONLY,
    # Review (reviewers, scoped by region).
    "review:queue": REVIEWER_PAGE,
    "review:dashboard": REVIEWER_PAGE,
    "review:detail": REVIEWER_OBJECT,
    "review:assign": REVIEWER_POST_ONLY,
    "review:items": REVIEWER_POST_ONLY,
    "review:transition": REVIEWER_POST_ONLY,
    "review:conflict": REVIEWER_POST_ONLY,
    "review:evidence": REVIEWER_OBJECT,
    "review:certificate-status": REVIEWER_POST_ONLY,
    "review:certificate-pdf": REVIEWER_OBJECT,
    "review:bulk-assign": REVIEWER_POST_ONLY,
    "review:materials": REVIEWER_POST_ONLY,
    "review:file": REVIEWER_OBJECT,
    # The expert panel: seating experts, an expert's score and the consensus are POST-only.
    "review:experts": REVIEWER_POST_ONLY,
    "review:expert-score": REVIEWER_POST_ONLY,
    "review:consensus": REVIEWER_POST_ONLY,
    "review:note": REVIEWER_POST_ONLY,
    "review:message": REVIEWER_POST_ONLY,
    "review:objection-answer": REVIEWER_POST_ONLY,
    "review:objection-evidence": REVIEWER_OBJECT,
    "review:dossier": REVIEWER_OBJECT,
    # The public notice (公示): open to everyone; an application no longer under notice (the
    # world's is recognised) is not found, for everyone, and so is its objection form.
    "publicity:index": public(),
    "publicity:detail": public(NOT_FOUND),
    # The firm's side of applications.
    "applications:index": signed_in(default=FORBIDDEN, member_a=OK, member_b=OK),
    "applications:apply": signed_in(default=NOT_FOUND, member_a=OK, member_b=OK),
    "applications:detail": COMPANY_OBJECT,
    # Nothing to resubmit (the application is recognised): back to its page.
    "applications:resubmit": signed_in(default=NOT_FOUND, member_a=REDIRECT),
    "applications:withdraw": POST_ONLY,
    "applications:certificate-pdf": COMPANY_OBJECT,
    # Improvement plans: the enterprise's own working paper; 404 for everyone else.
    "plans:detail": COMPANY_OBJECT,
    "plans:action-new": COMPANY_OBJECT,
    "plans:action-edit": COMPANY_OBJECT,
    "plans:export-xlsx": COMPANY_OBJECT,
    "plans:export-pdf": COMPANY_OBJECT,
    "applications:reconsider": POST_ONLY,
    # CMS search.
    "search": public(),
}

# Staff-only areas classified by prefix: everyone without staff rights is sent to a login page.
PREFIX_RULES = {
    "admin/": "wagtail-admin",
    "django-admin/": "django-admin",
}
# Development-only static serving of public CMS images (present when DEBUG is on).
PUBLIC_REGEX_PREFIXES = ("^media/",)

# Cases where the portal currently misbehaves: (url name, role) -> reason. Each is an
# xfail(strict=True) so the suite stays green until the lead fixes it, and then turns red.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


# --- URL enumeration ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None  # namespaced name ("wizard:step"), None for unnamed patterns
    route: str  # the pattern text with prefixes, e.g. "assessments/<int:pk>/step/<str:step>/"
    i18n: bool


def enumerate_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespace: str, i18n: bool) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace + (f"{p.namespace}:" if p.namespace else "")
                is_i18n = i18n or p.pattern.__class__.__name__ == "LocalePrefixPattern"
                walk(p.url_patterns, prefix + str(p.pattern), ns, is_i18n)
            elif isinstance(p, URLPattern):
                name = f"{namespace}{p.name}" if p.name else None
                routes.append(Route(name, prefix + str(p.pattern), i18n))

    walk(get_resolver().url_patterns, "", "", False)
    return routes


def classify(route: Route) -> str | None:
    """ "matrix", "wagtail-admin", "django-admin", "public-media" or None (unclassified)."""
    for prefix, kind in PREFIX_RULES.items():
        if route.route.startswith(prefix):
            return kind
    if route.route.startswith(PUBLIC_REGEX_PREFIXES):
        return "public-media"
    if route.name in MATRIX:
        return "matrix"
    return None


ROUTES = enumerate_routes()
MATRIX_ROUTES = {r.name: r for r in ROUTES if classify(r) == "matrix"}


def test_every_url_pattern_is_classified():
    unclassified = sorted(
        f"{r.name or '(unnamed)'} -> /{r.route}" for r in ROUTES if not classify(r)
    )
    assert not unclassified, "URL patterns missing from MATRIX:\n" + "\n".join(unclassified)
    stale = sorted(set(MATRIX) - {r.name for r in ROUTES})
    assert not stale, f"MATRIX names no longer in the URL configuration: {stale}"


# --- The world: users and enterprise A's objects, built once for the module -----------------


@dataclass
class World:
    users: dict
    kwargs: dict  # url name -> kwargs filling the pattern
    media: str


def _fake_pdf(*args, **kwargs):
    return b"%PDF-1.7 matrix fixture\n%%EOF\n"


def _build_world(media: str) -> World:
    from assessments.models import Assessment, Evidence
    from assessments.plans import selectors as plan_selectors
    from assessments.plans import services as plan_services
    from assessments.reports import services as report_services
    from assessments.review import certificates
    from assessments.review import services as review_services
    from assessments.review.models import Application, ApplicationFile, Objection
    from assessments.review.transitions import perform
    from assessments.transfer.models import TransferJob
    from portal.accounts import registration
    from portal.accounts import services as account_services
    from portal.accounts.models import PendingRegistration
    from tests.assessments.review.conftest import make_programme

    a = factories.EnterpriseFactory(name="甲企业有限公司")
    b = factories.EnterpriseFactory(name="乙企业有限公司")
    users = {
        "member_a": factories.company_user(a, username="m-a"),
        "member_b": factories.company_user(b, username="m-b"),
        "reviewer_in": factories.reviewer(["420000"], lead=True, username="rev-in"),
        "reviewer_out": factories.reviewer(["440000"], lead=True, username="rev-out"),
        "editor": factories.UserFactory(username="ed", groups=[Roles.EDITOR]),
        "admin": factories.UserFactory(username="adm", is_staff=True, is_superuser=True),
    }
    colleague = factories.company_user(a, role=MemberRole.MEMBER, username="m-a2")
    version = factories.scheme_version("ip-enterprise")
    draft = Assessment.objects.create(
        enterprise=a, scheme=version.scheme, scheme_version=version, answers={}
    )
    evidence = Evidence.objects.create(
        assessment=draft,
        item_code="M1",
        file=ContentFile(b"%PDF-1.4 evidence\n", name="cert.pdf"),
        original_name="cert.pdf",
        content_type="application/pdf",
        size=18,
        sha256="0" * 64,
        uploaded_by=users["member_a"],
    )
    submission = factories.make_submission(a, user=users["member_a"])
    submitted = submission.assessment
    evidence_submitted = Evidence.objects.create(
        assessment=submitted,
        item_code="M1",
        file=ContentFile(b"%PDF-1.4 evidence\n", name="cert2.pdf"),
        original_name="cert2.pdf",
        content_type="application/pdf",
        size=18,
        sha256="1" * 64,
        uploaded_by=users["member_a"],
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        report_services.request_report(submission, "zh-hans")
    programme = make_programme(objection_days=0)
    application = review_services.apply(users["member_a"], programme, submission)
    lead = users["reviewer_in"]
    review_services.assign(application, lead, lead, application.version)
    for action in ("start_formal_check", "pass_formal_check", "recommend", "start_public_notice"):
        application.refresh_from_db()
        perform(application, action, lead, reason="ok")
    Application.objects.filter(pk=application.pk).update(
        notice_ends_on=dt.date.today() - dt.timedelta(days=1)
    )
    application.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        perform(application, "recognise", lead, reason="no objections")
    certificate = application.certificate
    certificate.refresh_from_db()
    material_file = ApplicationFile.objects.create(
        application=application,
        kind=ApplicationFile.Kind.MATERIAL,
        file=ContentFile(b"%PDF-1.4 licence\n", name="licence.pdf"),
        original_name="licence.pdf",
        content_type="application/pdf",
        size=17,
        sha256="2" * 64,
        uploaded_by=users["member_a"],
    )
    objection = Objection.objects.create(
        application=application,
        name="王丽",
        contact="wang@example.com",
        text="专利清单有误。",
        evidence=ContentFile(b"%PDF-1.4 objection\n", name="objection.pdf"),
        evidence_name="objection.pdf",
        evidence_type="application/pdf",
        evidence_size=19,
    )
    if not certificate.pdf:
        certificates.store_pdf(certificate)
    invitation = account_services.invite(
        actor=users["member_a"], enterprise=a, email="new@example.com", base_url="http://x"
    ).invitation
    accept_url = account_services.invite(
        actor=users["member_a"], enterprise=a, email="new2@example.com", base_url="http://x"
    ).accept_url
    token = accept_url.rstrip("/").rsplit("/", 1)[-1]
    registration.request_registration(
        email="pending@example.com",
        enterprise={"name": "待确认有限公司", "credit_code": factories.valid_credit_code(),
                    "region": "420900", "industry": "C", "size": "small",
                    "founded_on": "2018-01-01", "contact_name": "王芳",
                    "contact_phone": "13900001111", "verification_reasons": []},
        base_url="http://x",
    )  # fmt: skip
    registration_token = registration.make_token(
        PendingRegistration.objects.get(email="pending@example.com")
    )
    job = TransferJob.objects.create(
        kind=TransferJob.Kind.EXPORT_ENTERPRISES,
        created_by=users["admin"],
        status=TransferJob.Status.DONE,
        result=ContentFile(b"name\n", name="export.csv"),
        result_name="export.csv",
        report=ContentFile(b"PK", name="check.xlsx"),
    )
    plan_item = next(iter(plan_selectors.target_codes(submission, "zh")))
    plan_action = plan_services.add_action(
        submission,
        users["member_a"].membership,
        item=plan_item,
        title="建立台账",
        owner=users["member_a"],
        due_on=dt.date.today() + dt.timedelta(days=30),
    )
    first_step = draft.current_step or "general"
    # A user who never signs in here, so the reset token stays valid for every visit.
    uid = urlsafe_base64_encode(force_bytes(colleague.pk))
    kwargs = {
        "accounts:password_reset_confirm": {
            "uidb64": uid,
            "token": default_token_generator.make_token(colleague),
        },
        "accounts:invitation-accept": {"token": token},
        "accounts:register-confirm": {"token": registration_token},
        "accounts:verify-enterprise": {"pk": a.pk},
        "dashboard:invitation-revoke": {"pk": invitation.pk},
        "dashboard:member-remove": {"pk": colleague.membership.pk},
        "wizard:start": {"code": "ip-enterprise"},
        "wizard:resume": {"pk": draft.pk},
        "wizard:step": {"pk": draft.pk, "step": first_step},
        "wizard:review": {"pk": draft.pk},
        "wizard:submit": {"pk": draft.pk},
        "wizard:restore": {"pk": draft.pk, "token": "x" * 43},
        "wizard:results": {"pk": submission.pk},
        "wizard:evidence": {"pk": evidence.pk},
        "wizard:intro": {"code": "ip-enterprise"},
        "wizard:questions": {"code": "ip-enterprise", "fmt": "xlsx"},
        "wizard:autosave": {"pk": draft.pk, "step": first_step},
        "wizard:discard": {"pk": draft.pk},
        "wizard:convert": {"pk": draft.pk},
        "reports:detail": {"pk": submission.pk},
        "reports:download": {"pk": submission.pk},
        "reports:status": {"pk": submission.pk},
        "verify:detail": {"code": certificate.verify_code},
        "transfer:scheme-export": {"pk": version.pk},
        "transfer:job": {"job_id": job.pk},
        "transfer:job-status": {"job_id": job.pk},
        "transfer:job-confirm": {"job_id": job.pk},
        "transfer:job-download": {"job_id": job.pk},
        "transfer:job-report": {"job_id": job.pk},
        "transfer:job-retry": {"job_id": job.pk},
        "review:detail": {"pk": application.pk},
        "review:assign": {"pk": application.pk},
        "review:items": {"pk": application.pk},
        "review:transition": {"pk": application.pk},
        "review:conflict": {"pk": application.pk},
        "review:evidence": {"pk": application.pk, "evidence_id": evidence_submitted.pk},
        "review:certificate-status": {"pk": certificate.pk},
        "review:materials": {"pk": application.pk},
        "review:file": {"pk": application.pk, "file_id": material_file.pk},
        "review:experts": {"pk": application.pk},
        "review:expert-score": {"pk": application.pk},
        "review:consensus": {"pk": application.pk},
        "review:note": {"pk": application.pk},
        "review:message": {"pk": application.pk},
        "review:objection-answer": {"pk": application.pk, "objection_id": objection.pk},
        "review:objection-evidence": {"pk": application.pk, "objection_id": objection.pk},
        "review:dossier": {"pk": application.pk},
        "publicity:detail": {"pk": application.pk},
        "applications:reconsider": {"pk": application.pk},
        "review:certificate-pdf": {"pk": certificate.pk},
        "applications:apply": {"programme_id": programme.pk},
        "applications:detail": {"pk": application.pk},
        "applications:resubmit": {"pk": application.pk},
        "applications:withdraw": {"pk": application.pk},
        "applications:certificate-pdf": {"pk": certificate.pk},
        "plans:detail": {"pk": submission.pk},
        "plans:action-new": {"pk": submission.pk},
        "plans:action-edit": {"pk": plan_action.pk},
        "plans:export-xlsx": {"pk": submission.pk},
        "plans:export-pdf": {"pk": submission.pk},
        "wagtaildocs_serve": {"_args": ("999999", "missing.pdf")},
        "wagtaildocs_authenticate_with_password": {"restriction_id": 999999},
        "wagtailcore_authenticate_with_password": {
            "page_view_restriction_id": 999999,
            "page_id": 999999,
        },
        "wagtail_serve": {"_args": ("",)},
    }
    return World(users=users, kwargs=kwargs, media=media)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once inside a transaction that is rolled back when the module is done."""
    from assessments.reports import services as report_services
    from assessments.review import certificates

    media = tempfile.mkdtemp(prefix="matrix-media-")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
        pytest.MonkeyPatch.context() as mp,
        translation.override("zh-hans"),
    ):
        mp.setattr(report_services, "render_submission_report", lambda s, lang: (_fake_pdf(), 1))
        mp.setattr(certificates, "pdf_bytes", _fake_pdf)
        with transaction.atomic():
            from cms import demo as cms_demo

            cms_demo.load(_Quiet(), _NoStyle())
            yield _build_world(media)
            transaction.set_rollback(True)


class _Quiet:
    def write(self, *args, **kwargs) -> None:
        pass


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text


# What portal.accounts.roles answers for each role of the matrix: the rows above are written
# for these answers. (is_reviewer, is_lead, is_expert, is_editor, is_moderator, is_admin)
ROLE_ANSWERS = {
    "member_a": (False, False, False, False, False, False),
    "member_b": (False, False, False, False, False, False),
    "reviewer_in": (True, True, False, False, False, False),
    "reviewer_out": (True, True, False, False, False, False),
    "editor": (False, False, False, True, False, False),
    "admin": (True, True, True, True, True, True),  # a superuser holds every role
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ROLE_ANSWERS))
def test_the_roles_of_the_world(world, role):
    user = world.users[role]
    questions = (
        roles.is_reviewer,
        roles.is_lead,
        roles.is_expert,
        roles.is_editor,
        roles.is_moderator,
        roles.is_admin,
    )
    assert tuple(q(user) for q in questions) == ROLE_ANSWERS[role]
    scope = roles.region_scope(user)
    if role == "admin":
        assert scope is None
    elif role == "reviewer_in":
        assert world.users["member_a"].membership.enterprise.region_id in scope
    elif role == "reviewer_out":
        assert scope and world.users["member_a"].membership.enterprise.region_id not in scope
    else:
        assert scope == frozenset()


# --- Visiting ----------------------------------------------------------------------------------


def url_for(route: Route, kwargs: dict, lang_prefix: str = "") -> str:
    """Fill a pattern's converters with the world's objects."""
    args = list(kwargs.get("_args", ()))

    def fill(match: re.Match) -> str:
        name = match.group(1).split(":")[-1]
        if name not in kwargs:
            raise KeyError(f"{route.name}: no value for <{match.group(1)}> in the world")
        return str(kwargs[name])

    text = re.sub(r"<([^>]+)>", fill, route.route)
    if "(" in text or "^" in text:  # a regex pattern: fill the groups in order
        text = text.replace("^", "").replace("$", "")
        text = re.sub(r"\((?:\?P<\w+>)?[^()]*(?:\([^()]*\)[^()]*)*\)", lambda m: args.pop(0), text)
    return f"{lang_prefix}/{text}"


def client_for(world: World, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anon":
        client.force_login(world.users[role])
    return client


def outcome(response) -> str:
    if response.status_code in (301, 302):
        location = urlsplit(response["Location"]).path
        if location.rstrip("/").endswith(("/login", "/accounts/login")) or location.endswith(
            "/login/"
        ):
            return LOGIN
        return REDIRECT
    return str(response.status_code)


def _matrix_params():
    for name in sorted(MATRIX):
        for role in ROLES:
            marks = []
            if (name, role) in KNOWN_BUGS:
                marks = [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[(name, role)])]
            yield pytest.param(name, role, marks=marks, id=f"{name}-{role}")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), list(_matrix_params()))
def test_url_access(world, name, role):
    route = MATRIX_ROUTES.get(name)
    if route is None:
        pytest.fail(f"{name} is in MATRIX but not in the URL configuration")
    expected = MATRIX[name][role]
    prefixes = ["", "/en"] if route.i18n and role in ("anon", "member_a") else [""]
    for prefix in prefixes:
        url = url_for(route, world.kwargs.get(name, {}), prefix)
        response = client_for(world, role).get(url)
        assert response.status_code < 500, f"{url} as {role}: {response.status_code}"
        got = outcome(response)
        assert got == expected, f"{url} as {role}: expected {expected}, got {got}" + (
            f" -> {response['Location']}" if got in (LOGIN, REDIRECT) else ""
        )


# Private files, as a role that may read them: every one is served by
# portal.core.downloads.protected_file_response.
PRIVATE_FILES = {
    "wizard:evidence": "member_a",
    "reports:download": "member_a",
    "review:evidence": "reviewer_in",
    "review:certificate-pdf": "reviewer_in",
    "review:file": "reviewer_in",
    "review:objection-evidence": "reviewer_in",
    "review:dossier": "reviewer_in",
    "applications:certificate-pdf": "member_a",
    "transfer:job-download": "admin",
    "transfer:job-report": "admin",
    "transfer:enterprise-template": "admin",
    "transfer:scheme-export": "admin",
    "plans:export-xlsx": "member_a",
    "plans:export-pdf": "member_a",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PRIVATE_FILES))
def test_private_files_are_protected_downloads(world, name):
    role = PRIVATE_FILES[name]
    response = client_for(world, role).get(url_for(MATRIX_ROUTES[name], world.kwargs.get(name, {})))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


# --- Staff areas by prefix: Wagtail admin and Django admin ----------------------------------

# Views of the staff areas that must answer signed-out visitors (sign-in, password reset…).
ADMIN_PUBLIC = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "admin:login",
    "admin:logout",
    "wagtailadmin_sprite",  # the icon sprite (static SVG)
    "admin:view_on_site",  # contenttypes shortcut: a redirect to the object's public page
}
# Wagtail's deliberate server error, for checking the 500 page: a 500 there is its purpose.
ADMIN_SKIP = {"wagtailadmin_error_test"}
GENERIC_VALUES = {"int": "999999", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.uuid4())}


def generic_url(route: Route) -> str:
    def fill(match: re.Match) -> str:
        converter = match.group(1).split(":")[0] if ":" in match.group(1) else "str"
        return GENERIC_VALUES.get(converter, "x")

    text = re.sub(r"<([^>]+)>", fill, route.route)
    text = text.replace("^", "").replace("$", "")
    text = re.sub(r"\((?:\?P<\w+>)?[^()]*\)", "1", text)
    return "/" + text


def staff_in_area(world: World, role: str, area: str) -> bool:
    if role == "anon":
        return False
    user = world.users[role]
    if area == "django-admin":
        return user.is_active and user.is_staff
    return user.has_perm("wagtailadmin.access_admin")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_staff_areas(world, role):
    """Non-staff roles are sent to the sign-in page from every admin URL (object URLs filled
    with placeholder ids); staff roles get no server error on the areas' pages."""
    client = client_for(world, role)
    problems = []
    for route in ROUTES:
        area = classify(route)
        if area not in ("wagtail-admin", "django-admin") or route.name in ADMIN_SKIP:
            continue
        url = generic_url(route)
        if staff_in_area(world, role, area):
            if "<" in route.route or "(" in route.route:
                continue  # placeholder ids mean nothing to staff views
            response = client.get(url)
            if response.status_code >= 500:
                problems.append(f"{url}: {response.status_code}")
            continue
        response = client.get(url)
        got = outcome(response)
        if route.name in ADMIN_PUBLIC:
            if response.status_code >= 500:
                problems.append(f"{url}: {response.status_code}")
        elif got not in (LOGIN, FORBIDDEN):
            problems.append(f"{url}: expected the sign-in page or 403, got {got}")
    assert not problems, f"as {role}:\n" + "\n".join(problems)


# --- The Wagtail page tree ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_wagtail_pages(world, role):
    """Every live page is public (200) for every role; pages that are not live answer 404."""
    from wagtail.models import Page

    client = client_for(world, role)
    pages = list(Page.objects.filter(depth__gt=1).specific())
    assert len([p for p in pages if p.live]) >= 10, "the demo page tree is missing"
    problems = []
    for page in pages:
        url = page.get_url()
        if url is None:
            continue  # not routable (outside every site)
        if not page.live:
            # A draft still has the URL of its path: nobody may read it through the site.
            expected = NOT_FOUND
        elif page.get_view_restrictions().exists():
            expected = LOGIN
        else:
            expected = OK
        got = outcome(client.get(url))
        if got != expected:
            problems.append(f"{url} ({page.title}, live={page.live}): expected {expected}, {got}")
    assert not problems, f"as {role}:\n" + "\n".join(problems)
