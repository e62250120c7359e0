from __future__ import annotations

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts import registration, roles, selectors, services, verification
from portal.accounts.dashboard import render_panels
from portal.accounts.forms import (
    AcceptInvitationForm,
    AccountFields,
    ConfirmRegistrationForm,
    EnterpriseFields,
    InvitationForm,
    LoginForm,
    ResendConfirmationForm,
)
from portal.accounts.models import Region
from portal.core import ratelimit

_BACKEND = "portal.accounts.backends.EmailOrUsernameBackend"


def _registration_rate_exceeded(request: HttpRequest) -> bool:
    limit, window = settings.REGISTRATION_RATE
    return ratelimit.hit("register", request, limit=limit, window=window)


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(settings.REGISTRATION_RATE[1])
    return response


def register(request: HttpRequest) -> HttpResponse:
    """The account's e-mail address and the enterprise; the answer never depends on what exists.

    A valid form always leads to the same "we sent you an e-mail" page; what the e-mail says is
    decided by :func:`registration.request_registration`.
    """
    if request.user.is_authenticated:
        messages.info(request, _("You are already signed in."))
        return redirect("dashboard:home")
    if request.method == "POST" and _registration_rate_exceeded(request):
        return _too_many(request)
    account_form = AccountFields(request.POST or None, prefix="account")
    enterprise_form = EnterpriseFields(request.POST or None, prefix="enterprise")
    if request.method == "POST":
        account_ok = account_form.is_valid()
        enterprise_ok = enterprise_form.is_valid()
        if account_ok and enterprise_ok:
            registration.request_registration(
                email=account_form.cleaned_data["email"],
                enterprise=enterprise_form.registration_data(),
                base_url=request.build_absolute_uri("/"),
            )
            return redirect("accounts:register-sent")
    return render(
        request,
        "accounts/register.html",
        {
            "account_form": account_form,
            "enterprise_form": enterprise_form,
            "show_override": enterprise_form.offers_override,
            "forms": [account_form, enterprise_form],
        },
    )


def register_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/register_sent.html", {"hours": settings.REGISTRATION_CONFIRM_HOURS}
    )


def register_resend(request: HttpRequest) -> HttpResponse:
    """Send the confirmation link again; the answer is the same whether or not one is pending."""
    if request.method == "POST" and _registration_rate_exceeded(request):
        return _too_many(request)
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        registration.resend_confirmation(
            email=form.cleaned_data["email"], base_url=request.build_absolute_uri("/")
        )
        return redirect("accounts:register-sent")
    return render(request, "accounts/register_resend.html", {"form": form})


def register_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation link: choose the password; on POST the account and enterprise exist.

    The GET only shows the page, so that a mail scanner opening the link uses nothing up.
    """
    if request.user.is_authenticated:
        messages.info(request, _("You are already signed in."))
        return redirect("dashboard:home")
    pending = registration.pending_from_token(token)
    if pending is None:
        return render(request, "accounts/register_link_invalid.html", status=410)
    form = ConfirmRegistrationForm(request.POST or None, email=pending.email)
    if request.method == "POST" and form.is_valid():
        result = registration.confirm_registration(
            pending=pending,
            password=form.cleaned_data["password1"],
            base_url=request.build_absolute_uri("/"),
        )
        if result.user is None:
            messages.error(request, result.message)
            return redirect("accounts:login")
        login(request, result.user, backend=_BACKEND)
        messages.success(request, _("Welcome! Your enterprise has been registered."))
        if result.enterprise.needs_verification:
            messages.warning(
                request,
                _("A reviewer will compare your enterprise's record with its business licence."),
            )
        return redirect("dashboard:home")
    region = Region.objects.filter(code=pending.enterprise.get("region")).first()
    return render(
        request,
        "accounts/register_confirm.html",
        {"form": form, "pending": pending, "enterprise": pending.enterprise, "region": region},
    )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Send each role to its workspace."""
    user = request.user
    if selectors.membership_for(user):
        return redirect("dashboard:home")
    # Superusers hold every role; they start in the Wagtail admin, reviewers in their queue.
    if roles.is_reviewer(user) and not user.is_superuser:
        return redirect("review:queue")
    if roles.is_editor(user) or roles.is_moderator(user) or roles.is_admin(user):
        return redirect("wagtailadmin_home")
    return redirect("dashboard:home")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token)
    try:
        services.check_invitation_usable(invitation)
    except services.InvitationError as exc:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"message": exc.messages[0]},
            status=410 if invitation else 404,
        )
    form = None
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.accept_invitation(invitation=invitation, user=request.user)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
                return redirect("dashboard:home")
            messages.success(
                request, _("You have joined %(name)s.") % {"name": invitation.enterprise.name}
            )
            return redirect("dashboard:home")
    elif selectors.email_has_account(invitation.email):
        # The invited address already has an account: the invitee signs in with it to accept
        # (a second account for the same address would be refused by the database).
        return render(
            request,
            "accounts/invitation_accept.html",
            {"invitation": invitation, "form": None, "sign_in_first": True},
        )
    else:
        form = AcceptInvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            user = form.save(commit=False)
            user.email = invitation.email
            user.save()
            try:
                services.accept_invitation(invitation=invitation, user=user)
            except ValidationError as exc:  # pragma: no cover - raced with a revoke
                messages.error(request, exc.messages[0])
                return redirect("accounts:login")
            login(request, user, backend=_BACKEND)
            messages.success(
                request, _("You have joined %(name)s.") % {"name": invitation.enterprise.name}
            )
            return redirect("dashboard:home")
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form}
    )


# --- Company dashboard ----------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = selectors.membership_for(request.user)
    if membership is None:
        return render(request, "accounts/no_enterprise.html")
    enterprise = membership.enterprise
    context = {
        "membership": membership,
        "enterprise": enterprise,
        "members": selectors.members_of(enterprise),
        "invitations": enterprise.invitations.pending() if membership.is_owner else [],
        "invite_form": InvitationForm(enterprise=enterprise) if membership.is_owner else None,
        "dashboard_panels": _dashboard_panels(request, membership),
        "verification_reasons": verification.describe_all(enterprise.verification_reasons),
    }
    return render(request, "accounts/dashboard.html", context)


def _dashboard_panels(request: HttpRequest, membership) -> list:
    """Panels contributed by other apps (assessments, applications) through a Wagtail hook."""
    return render_panels(request, membership)


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    membership = selectors.membership_for(request.user)
    if membership is None or not membership.is_owner:
        return render(request, "403.html", status=403)
    form = InvitationForm(request.POST, enterprise=membership.enterprise)
    if form.is_valid():
        try:
            services.invite(
                actor=request.user,
                enterprise=membership.enterprise,
                email=form.cleaned_data["email"],
                base_url=request.build_absolute_uri("/"),
            )
        except services.InvitationError as exc:
            form.add_error("email", exc.messages[0])
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("dashboard:home")
    enterprise = membership.enterprise
    return render(
        request,
        "accounts/dashboard.html",
        {
            "membership": membership,
            "enterprise": enterprise,
            "members": selectors.members_of(enterprise),
            "invitations": enterprise.invitations.pending(),
            "invite_form": form,
            "dashboard_panels": _dashboard_panels(request, membership),
        },
        status=400,
    )


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_of_user_enterprise(request.user, pk)
    services.revoke_invitation(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation has been withdrawn."))
    return redirect("dashboard:home")


@login_required
@require_POST
def remove_member(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.member_of_user_enterprise(request.user, pk)
    try:
        services.remove_member(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("%(user)s has been removed from the enterprise.")
            % {"user": membership.user.get_username()},
        )
    return redirect("dashboard:home")


# --- Reviewers: credit codes declared genuine --------------------------------------------------


@login_required
def verifications(request: HttpRequest) -> HttpResponse:
    """Enterprises in the reviewer's scope whose credit code failed the check."""
    if not roles.is_reviewer(request.user):
        raise Http404
    pending = selectors.enterprises_in_scope(request.user).filter(needs_verification=True)
    page = Paginator(pending.order_by("created_at"), 25).get_page(request.GET.get("page"))
    rows = [(e, verification.describe_all(e.verification_reasons)) for e in page.object_list]
    return render(request, "accounts/verifications.html", {"page": page, "rows": rows})


@login_required
@require_POST
def verify_enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_object_or_404(selectors.enterprises_in_scope(request.user), pk=pk)
    services.verify_enterprise(
        actor=request.user, enterprise=enterprise, note=request.POST.get("note", "")[:500]
    )
    messages.success(request, _("%(name)s is marked as verified.") % {"name": enterprise.name})
    return redirect("accounts:verifications")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The owner corrects the enterprise's record (members and others get 404)."""
    membership = selectors.membership_for(request.user)
    if membership is None or not membership.is_owner:
        raise Http404
    enterprise = membership.enterprise
    # The form edits a copy, so that the page shows the saved record while input has errors.
    form = EnterpriseFields(
        request.POST or None, instance=copy.copy(enterprise), prefix="enterprise"
    )
    if request.method == "POST" and form.is_valid():
        reasons = form.verification_reasons()
        services.update_profile(
            actor=request.user,
            enterprise=form.save(commit=False),
            code_overridden=form.code_overridden,
            reasons=reasons,
        )
        messages.success(request, _("The enterprise profile has been saved."))
        if reasons:
            messages.warning(
                request,
                _("A reviewer will compare your enterprise's record with its business licence."),
            )
        return redirect("dashboard:home")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "enterprise": enterprise, "show_override": form.offers_override},
    )
