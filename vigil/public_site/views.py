from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language

from vigil.audit.services import audit_record
from vigil.common.client_address import client_address
from vigil.public_site.consent import (
    consent_from_request,
    consent_is_asked,
    consent_save,
    optional_categories,
    strictly_necessary_cookies,
)
from vigil.public_site.forms import CookieChoicesForm, FeedbackForm, SelfCheckForm
from vigil.public_site.health import health_report
from vigil.public_site.page_cache import cached_public_page
from vigil.public_site.selectors import feedback_list, help_directory, help_service
from vigil.public_site.selfcheck import STEPS, self_check_result
from vigil.public_site.services import feedback_rate_limited, feedback_submit
from vigil.reporting.drafts import forget_draft

# Pages whose content is a template of the same name under public_site/pages/.
INFORMATION_PAGES = {
    "accessibility",
    "privacy",
    "hide-your-visit",
    "what-stalking-is",
    "after-you-report",
    "staying-safe",
    "harassment-or-stalking",
}
HELPLINE = "national-stalking-helpline"


def _helpline(request: HttpRequest) -> dict[str, Any]:
    return {"helpline": help_service(slug=HELPLINE, now=timezone.now())}


@require_safe
@cached_public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public_site/home.html", _helpline(request))


@require_safe
@cached_public_page
def page(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in INFORMATION_PAGES:
        raise Http404
    try:
        template = select_template([f"public_site/pages/{slug}.html"])
    except TemplateDoesNotExist:
        raise Http404 from None
    return HttpResponse(template.render(_helpline(request), request))


@require_safe
@cached_public_page
def get_help(request: HttpRequest) -> HttpResponse:
    services = help_directory(now=timezone.now())
    return render(request, "public_site/get_help.html", {"services": services})


# No CSRF token: the self-check changes nothing and stores nothing, and leaving the token out
# means it sets no cookie at all.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@cached_public_page
def self_check(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "public_site/self_check/start.html")
    step = _step(request.POST)
    if "back" in request.POST:
        return _question(request, max(step - 1, 0), initial=_raw_answers(request.POST))
    if "change" in request.POST:
        return _question(request, len(STEPS) - 1, initial=_raw_answers(request.POST))
    if step < 0:
        return _question(request, 0, initial={})
    form = SelfCheckForm(request.POST, step=step)
    if not form.is_valid():
        return render(request, "public_site/self_check/question.html", _question_context(form))
    if step + 1 < len(STEPS):
        return _question(request, step + 1, initial=form.cleaned_data)
    context = {
        "result": self_check_result(form.cleaned_data),
        "answers": SelfCheckForm(initial=form.cleaned_data, step=len(STEPS)),
        **_helpline(request),
    }
    return render(request, "public_site/self_check/result.html", context)


def _step(data: QueryDict) -> int:
    try:
        step = int(data.get("step", "-1"))
    except ValueError:
        return -1
    return step if -1 <= step < len(STEPS) else -1


def _raw_answers(data: QueryDict) -> dict[str, Any]:
    return {"behaviours": data.getlist("behaviours"), **{k: data.get(k) for k in STEPS[1:]}}


def _question(request: HttpRequest, step: int, *, initial: dict[str, Any]) -> HttpResponse:
    form = SelfCheckForm(initial=initial, step=step)
    return render(request, "public_site/self_check/question.html", _question_context(form))


def _question_context(form: SelfCheckForm) -> dict[str, Any]:
    return {"form": form, "number": form.step + 1, "total": len(STEPS)}


def _same_origin(request: HttpRequest) -> bool:
    """Refuse cookie choices posted from another site (in place of a CSRF token, which would
    itself be a cookie set on every page before the visitor has chosen anything)."""
    origin = request.headers.get("Origin")
    if origin:
        return origin == f"{request.scheme}://{request.get_host()}"
    return request.headers.get("Sec-Fetch-Site", "same-origin") in {"same-origin", "none"}


def _local_path(candidate: str, request: HttpRequest) -> str:
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("public_site:home")


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@cached_public_page
def cookies(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and not _same_origin(request):
        raise PermissionDenied
    if request.method == "POST" and not consent_is_asked():
        # Nothing optional to choose: no choice (and no cookie to remember one) is kept.
        return HttpResponseRedirect(reverse("public_site:cookies"))
    if request.method == "POST" and request.POST.get("cookies") in {"accept", "reject"}:
        # From the banner: accept or reject everything, then back to the page they were on.
        accepted = request.POST["cookies"] == "accept"
        parts = urlsplit(_local_path(request.POST.get("next", ""), request))
        query = QueryDict(parts.query, mutable=True)
        query["cookies"] = "accepted" if accepted else "rejected"
        response = HttpResponseRedirect(urlunsplit(("", "", parts.path, query.urlencode(), "")))
        consent_save(
            response, allowed={c.name for c in optional_categories()} if accepted else set()
        )
        return response
    if request.method == "POST":
        form = CookieChoicesForm(request.POST)
        if form.is_valid():
            response = HttpResponseRedirect(
                f"{reverse('public_site:cookies')}?{urlencode({'saved': '1'})}"
            )
            consent_save(response, allowed=form.allowed())
            return response
    else:
        current = consent_from_request(request)
        form = CookieChoicesForm(
            initial={
                name: "yes" if allowed else "no" for name, allowed in current.as_dict().items()
            }
            if current.choice_made
            else {}
        )
    context = {
        "form": form,
        "saved": request.GET.get("saved") == "1",
        "necessary_cookies": strictly_necessary_cookies(),
        "categories": optional_categories(),
    }
    return render(request, "public_site/cookies.html", context)


@csrf_exempt
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """English or Welsh, then back to the same page. Django's set_language stores the choice in a
    cookie that ends when the browser closes (or the quick exit clears it). No CSRF token, as for
    cookie choices: it would be a cookie set on every page; posts from other sites are refused."""
    if not _same_origin(request):
        raise PermissionDenied
    # set_language accepts any language Django itself is translated into; we offer two.
    if request.POST.get("language") not in dict(settings.LANGUAGES):
        raise BadRequest
    return set_language(request)


@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "public_site/feedback.html", {"form": FeedbackForm()})
    if feedback_rate_limited(ip_address=client_address(request)):
        return render(request, "public_site/feedback_limited.html", status=429)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(request, "public_site/feedback.html", {"form": form})
    if not form.is_from_a_robot:
        feedback_submit(rating=form.cleaned_data["rating"], comments=form.cleaned_data["comments"])
    return redirect("public_site:feedback_sent")


@require_safe
def feedback_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "public_site/feedback_sent.html")


# --- staff --------------------------------------------------------------------------------
@require_safe
def staff_feedback_list(request: HttpRequest) -> HttpResponse:
    items = feedback_list(user=request.user)  # type: ignore[arg-type]
    page_obj = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "public_site/staff/feedback_list.html", {"page_obj": page_obj})


@require_safe
def staff_feedback_export(request: HttpRequest) -> HttpResponse:
    items = feedback_list(user=request.user)  # type: ignore[arg-type]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="feedback.csv"'
    writer = csv.writer(response)
    writer.writerow(["received", "rating", "comments"])
    count = 0
    for item in items.iterator():
        writer.writerow(
            [
                timezone.localtime(item.created_at).strftime("%Y-%m-%d %H:%M"),
                item.get_rating_display(),
                _csv_safe(item.comments),
            ]
        )
        count += 1
    audit_record(actor=request.user, action="feedback.export", summary={"rows": count})
    return response


def _csv_safe(text: str) -> str:
    # A comment starting with = + - @ would run as a formula when the CSV is opened in a
    # spreadsheet; a leading apostrophe keeps it as text.
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


# --- quick exit, health and errors --------------------------------------------------------
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Leave at once for a neutral site, ending the session and leaving no referrer behind."""
    request.session.flush()
    response = HttpResponseRedirect(settings.VIGIL_QUICK_EXIT_URL)
    forget_draft(response)  # the answers stay on the server, unreachable, until they expire
    response["Referrer-Policy"] = "no-referrer"
    # Asks the browser to drop this site's cookies and storage (honoured on HTTPS and localhost).
    response["Clear-Site-Data"] = '"cookies", "storage"'
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Staff pages and the exit are never to be crawled. The report and safety pages may be
    crawled so that their `noindex` is seen (a page blocked here can still be listed, bare,
    if someone links to it); only the sitemap's pages are listed (public_site/findable.py)."""
    sitemap = request.build_absolute_uri(reverse("public_site:sitemap"))
    lines = ["User-agent: *", "Disallow: /staff/", "Disallow: /exit/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


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
        "service_name": gettext(settings.VIGIL_SERVICE_NAME),
        "brand_colour": settings.VIGIL_BRAND_COLOUR,
        "feedback_url": settings.VIGIL_FEEDBACK_URL,
        "csp_nonce": get_nonce(request),
        "request": request,
    }
