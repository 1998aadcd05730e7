"""How a reference is shown on a page: in one piece, never split over two lines at its hyphens,
because a victim or an officer reads it out over the phone (frontend/scss: .vigil-reference)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def reference(value: object) -> SafeString:
    """`{{ case.reference|reference }}`, also inside `{% blocktranslate with ref=... %}`, which
    keeps the Welsh catalogue's sentences as they are."""
    return format_html('<span class="vigil-reference">{}</span>', value)
