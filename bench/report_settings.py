"""Settings for bench/report_submit.py: the real settings plus one bare view to compare with."""

from vigil.settings import *  # noqa: F403

ROOT_URLCONF = "bench.report_urls"
