"""Questionnaires are the Secretariat's: it creates, edits, publishes them, invites respondents and reopens responses.

Respondents need no account: their token is their permission (see ``services.access_by_token``).
"""

import rules

from ipvalue.accounts.predicates import is_secretariat

rules.set_perm("surveys", is_secretariat)
rules.set_perm("surveys.view_survey", is_secretariat)
rules.set_perm("surveys.add_survey", is_secretariat)
rules.set_perm("surveys.change_survey", is_secretariat)
rules.set_perm("surveys.delete_survey", is_secretariat)
rules.set_perm("surveys.view_response", is_secretariat)
rules.set_perm("surveys.reopen_response", is_secretariat)
