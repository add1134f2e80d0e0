"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language_info

from ipvalue.core.languages import active_language


def site(request: HttpRequest) -> dict[str, object]:
    """The language switcher's links (the same page in each language) and the site's name."""
    current = active_language()
    path = request.get_full_path()
    languages = [
        {
            "code": code,
            "name": autonym,
            "url": translate_url(path, code),
            "active": code == current,
            "bidi": get_language_info(code)["bidi"],
        }
        for code, autonym in settings.LANGUAGES
    ]
    return {"site_languages": languages, "site_name": settings.SITE_NAME}
