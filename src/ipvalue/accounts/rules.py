"""Who may do what with people and accounts. The Secretariat administers; everyone else sees only themselves."""

import rules

from ipvalue.accounts.predicates import is_secretariat

for action in ("view", "add", "change", "delete"):
    rules.set_perm(f"accounts.{action}_user", is_secretariat)
    rules.set_perm(f"accounts.{action}_countryassignment", is_secretariat)
    # The Secretariat administers login throttling and background tasks from the admin.
    rules.set_perm(f"axes.{action}_accessattempt", is_secretariat)
    rules.set_perm(f"axes.{action}_accessfailurelog", is_secretariat)
    rules.set_perm(f"django_tasks_database.{action}_dbtaskresult", is_secretariat)
rules.set_perm("axes.view_accesslog", is_secretariat)
rules.set_perm("auditlog.view_logentry", is_secretariat)
# Module permissions: which apps the admin lists for a user.
for app_label in ("accounts", "countries", "axes", "auditlog", "django_tasks_database"):
    rules.set_perm(app_label, is_secretariat)
