"""Each person's language: the one home for which language a mail, a reminder or a page
after login speaks to them in (``language_of``), and for remembering it (``remember``)."""

from django.conf import settings

from accounts.models import LanguagePreference

LANGUAGES = dict(settings.LANGUAGES)


def language_of(user) -> str:
    """The language ``user`` chose (the site's default when they never did). Reads the
    preference through the relation, so a query that ``select_related``
    ``…__language_preference`` costs nothing more."""
    try:
        language = user.language_preference.language
    except LanguagePreference.DoesNotExist:
        return settings.LANGUAGE_CODE
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def remember(user, language: str) -> None:
    """Keep ``language`` as ``user``'s (a code outside settings.LANGUAGES changes nothing)."""
    if not user.is_authenticated or language not in LANGUAGES:
        return
    preference, _created = LanguagePreference.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    user.language_preference = preference  # not the one read before, if any
