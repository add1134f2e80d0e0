"""Who may do what with country data. Reference data (codes, names, groups) changes only through
``load_reference_data``; the Secretariat decides which countries are beneficiaries; the Secretariat and a
country's own coordinators record its selection criteria and see its history."""

import rules

from ipvalue.accounts.predicates import is_coordinator_of_country, is_secretariat

rules.set_perm("countries.view_country", rules.always_allow)
rules.set_perm("countries.change_country", is_secretariat | is_coordinator_of_country)
rules.set_perm("countries.view_country_history", is_secretariat | is_coordinator_of_country)
rules.set_perm("countries.change_beneficiary_status", is_secretariat)
rules.set_perm("countries.add_country", rules.always_deny)
rules.set_perm("countries.delete_country", rules.always_deny)
rules.set_perm("countries.view_regionalgroup", rules.always_allow)
for action in ("add", "change", "delete"):
    rules.set_perm(f"countries.{action}_regionalgroup", rules.always_deny)
rules.set_perm("countries.view_selectioncriterion", rules.always_allow)
rules.set_perm("countries.change_selectioncriterion", is_secretariat | is_coordinator_of_country)
rules.set_perm("countries.add_selectioncriterion", is_secretariat)
rules.set_perm("countries.delete_selectioncriterion", is_secretariat)
