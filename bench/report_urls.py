"""The real URLs plus /bench/insert/: a bare Django view that inserts one row, as a yardstick."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from vigil.urls import urlpatterns as vigil_urlpatterns


@csrf_exempt
def bare_insert(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare_insert (body) VALUES (%s)", [request.POST.get("b")])
    return HttpResponse("ok")


urlpatterns = [path("bench/insert/", bare_insert), *vigil_urlpatterns]
