"""Django's password-reset views with LevelCheck's abuse limits; login and the language
switch, which remember each person's language."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views import i18n as i18n_views

from accounts import services
from accounts.client_ip import client_ip
from accounts.languages import remember
from accounts.models import LanguagePreference


class PasswordResetView(auth_views.PasswordResetView):
    """Sends a reset link within the hourly limits. A request over the per-address limit gets
    the same "check your e-mail" page as a sent link (whether an address has an account must
    not show); one over the per-client-address limit gets a 429 that says so."""

    def form_valid(self, form):
        verdict = services.register_password_reset_request(
            address=form.cleaned_data["email"], ip_address=client_ip(self.request)
        )
        if verdict is services.ResetVerdict.IP_LIMITED:
            response = render(self.request, "accounts/password_reset_limited.html", status=429)
            response["Retry-After"] = str(int(services.WINDOW.total_seconds()))
            return response
        if verdict is services.ResetVerdict.ADDRESS_LIMITED:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the e-mailed link also lifts the account's login lock:
    whoever holds the mailbox owns the account, and the failures were guesses at the old
    password. Failures on other accounts still count against their client addresses."""

    def form_valid(self, form):
        response = super().form_valid(form)
        AxesProxyHandler.reset_attempts(username=form.user.get_username())
        return response


def set_language(request):
    """Django's language switch, which also remembers a signed-in person's choice
    (``accounts.languages``): their e-mails follow it."""
    response = i18n_views.set_language(request)
    if request.method == "POST":
        remember(request.user, request.POST.get(i18n_views.LANGUAGE_QUERY_PARAMETER, ""))
    return response


class LoginView(auth_views.LoginView):
    """Django's login, in the language the person chose before with the language switch (on
    another device too). Nobody's language is guessed: one who never chose reads the
    browser's language, and their mails are in the site's."""

    def form_valid(self, form):
        response = super().form_valid(form)
        preference = LanguagePreference.objects.filter(user=form.get_user()).first()
        if preference is not None:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                preference.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
