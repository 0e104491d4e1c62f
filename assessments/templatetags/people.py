from django import template

register = template.Library()


@register.filter
def person(user) -> str:
    """A person's name as Japanese users write it: family name first, then given name."""
    if user is None:
        return ""
    full = " ".join(part for part in (user.last_name, user.first_name) if part)
    return full or user.get_username()
