"""Names scripts/dead-code (vulture) reports as unused that are used through a string.

Vulture reads Python only: it cannot see a template's `{{ form.item_fields }}` or a setting's
dotted path. Each name here is used where the comment says; a name no longer used there should
go from here too, so that the check can find it dead.
"""

# ruff: noqa: B018 (each line only names what is used)
from vigil.accounts import backends, middleware
from vigil.accounts import views as accounts_views
from vigil.cases import forms as cases_forms
from vigil.cases import models as cases_models
from vigil.cases.views import lists as case_lists
from vigil.common import client_address, log_filters, stored_file_moves
from vigil.common import forms as common_forms
from vigil.common import middleware as common_middleware
from vigil.insights import selectors as insights
from vigil.linking import matching
from vigil.notifications import backends as notification_backends
from vigil.notifications import selectors as notifications
from vigil.notifications import tasks as notification_tasks
from vigil.public_site import consent, usage
from vigil.public_site import forms as public_forms
from vigil.public_site import models as public_models
from vigil.public_site import views as public_views
from vigil.records import models as records_models
from vigil.risk import tooldata
from vigil.safety import models as safety_models
from vigil.sharing import forms as sharing_forms

# settings.py: AUTHENTICATION_BACKENDS, MIDDLEWARE, AXES_*, LOGGING, FORM_RENDERER, EMAIL_BACKEND,
# handler404/handler500 and CSRF_FAILURE_VIEW (urls.py and settings.py), by dotted path.
backends.PasswordBackend
middleware.StaffAccessMiddleware
accounts_views.locked_out
client_address.axes_client_ip
common_forms.GovukFormRenderer
log_filters.RedactTokens
common_middleware.ProxyHeadersMiddleware
common_middleware.RequestContextMiddleware
common_middleware.SecurityHeadersMiddleware
notification_backends.SmtpEmailBackend
notification_backends.NotifyBackend
notification_backends.LogBackend
usage.PageViewMiddleware
public_views.page_not_found
public_views.server_error
public_views.csrf_failure
# notifications/services.py: DELIVER_TASK, the task run by its dotted path.
notification_tasks.deliver_outbox_message
# risk/migrations/0002_load_default_tools.py (migrations are not scanned).
tooldata.load_tools
# reporting 0010, cases 0012 and safety 0004 migrations (moving files into StoredFile).
stored_file_moves.owner_operations
# tests/e2e/test_public_site.py (tests/ is not scanned).
consent.strictly_necessary_cookie_names

# Templates.
records_models.RecordLink.record_url  # records/queue.html
cases_forms.CloseForm.item_fields  # cases/close.html
cases_models.Case.response_overdue  # cases/case_list.html, cases/_case_header.html
cases_models.ContactLogEntry.delivery  # cases/contact.html
case_lists.CappedPaginator.capped  # cases/case_list.html
common_forms.GovukBoundField.character_limit_text  # govuk/forms/field.html
common_forms.GovukBoundField.is_single_checkbox  # govuk/forms/field.html
common_forms.GovukBoundField.first_input_id  # govuk/forms/error_summary.html
common_forms.GovukBoundField.choice_kind  # govuk/forms/field.html
common_forms.GovukBoundField.options_with_reveals  # govuk/forms/field.html
common_forms.GovukBoundField.is_revealed  # govuk/forms/form.html
insights.FigureResult.drillable  # insights/_figure.html
insights.Dashboard.age_minutes  # insights/dashboard.html
matching.Score.similar  # linking/_reasons.html
matching.Score.differed  # linking/_reasons.html
notifications.UndeliveredMessage.tag_colour  # cases/contact.html
public_forms.SelfCheckForm.option_groups  # public_site/self_check/question.html
public_models.HelpService.is_external  # public_site/get_help.html
records_models.RetentionReview.next_review_at  # records/case.html
records_models.ErasureTombstone.total_rows  # records/erased.html
safety_models.CheckInTimer.minutes_left  # safety/timer.html
sharing_forms.ReferralForm.part_fields  # sharing/refer.html

# Tests: an email backend named by dotted path in override_settings.
from vigil.notifications.tests import test_outbox  # noqa: E402

test_outbox.BrokenBackend
