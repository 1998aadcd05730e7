"""The real URLs plus yardsticks: /bench/insert/, a bare Django view that inserts one row (with
the ORM; /bench/insert-sql/ with a hand-written INSERT), and /bench/draft-read/, which only
reads what "Send report" must read first (the draft its cookie names)."""

from django.db import connection, models
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from vigil.reporting.drafts import draft_id_from_cookie
from vigil.reporting.selectors import draft_for_browser
from vigil.urls import urlpatterns as vigil_urlpatterns


class BareRow(models.Model):
    """The yardstick's table (bench/report_submit.py creates it), through Django's ORM."""

    created_at = models.DateTimeField(auto_now_add=True)
    body = models.TextField()

    class Meta:
        app_label = "bench"
        db_table = "bench_bare_insert"
        managed = False

    def __str__(self) -> str:
        return self.body


@csrf_exempt
def bare_insert(request: HttpRequest) -> HttpResponse:
    """One row with the ORM, as a plain Django view writes it."""
    BareRow.objects.create(body=request.POST.get("b", ""))
    return HttpResponse("ok")


@csrf_exempt
def bare_insert_sql(request: HttpRequest) -> HttpResponse:
    """One row with a hand-written INSERT: the least a Django view can do."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare_insert (body) VALUES (%s)", [request.POST.get("b")])
    return HttpResponse("ok")


@csrf_exempt
def draft_read(request: HttpRequest) -> HttpResponse:
    """What "Send report" must read before it can write anything: the draft."""
    draft = draft_for_browser(draft_id=draft_id_from_cookie(request), sent=True)
    return HttpResponse("ok" if draft is not None and draft.data is not None else "missing")


urlpatterns = [
    path("bench/insert/", bare_insert),
    path("bench/insert-sql/", bare_insert_sql),
    path("bench/draft-read/", draft_read),
    *vigil_urlpatterns,
]
