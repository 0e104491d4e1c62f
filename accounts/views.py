"""Django's password-reset views with LevelCheck's abuse limits."""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render

from accounts import services
from accounts.client_ip import client_ip


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
