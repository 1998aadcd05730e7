from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.views.decorators.http import require_safe

from vigil.public_site.health import health_report

# Pages whose content is a template of the same name under public_site/pages/.
INFORMATION_PAGES = {"accessibility", "privacy", "cookies", "hide-your-visit"}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public_site/home.html")


@require_safe
def page(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in INFORMATION_PAGES:
        raise Http404
    try:
        template = select_template([f"public_site/pages/{slug}.html"])
    except TemplateDoesNotExist:
        raise Http404 from None
    return HttpResponse(template.render({}, request))


def quick_exit(request: HttpRequest) -> HttpResponse:
    """Leave at once for a neutral site, ending the session and leaving no referrer behind."""
    request.session.flush()
    response = HttpResponseRedirect(settings.VIGIL_QUICK_EXIT_URL)
    response["Referrer-Policy"] = "no-referrer"
    # Asks the browser to drop this site's cookies and storage (honoured on HTTPS and localhost).
    response["Clear-Site-Data"] = '"cookies", "storage"'
    return response


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the database may be what failed.
    from django.template.loader import get_template

    html = get_template("errors/500.html").render(_minimal_context(request))
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(request, "errors/csrf.html", 403)


def _minimal_context(request: HttpRequest) -> dict[str, Any]:
    from django.middleware.csp import get_nonce

    return {
        "force_name": settings.VIGIL_FORCE_NAME,
        "service_name": settings.VIGIL_SERVICE_NAME,
        "brand_colour": settings.VIGIL_BRAND_COLOUR,
        "feedback_url": settings.VIGIL_FEEDBACK_URL,
        "csp_nonce": get_nonce(request),
        "request": request,
    }
