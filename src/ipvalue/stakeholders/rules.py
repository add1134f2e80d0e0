"""Who may do what in the stakeholder registry. It holds personal data: only the Secretariat (every country) and
national coordinators (their own countries, during their term) reach it; nothing of it is public."""

import rules

from ipvalue.accounts.predicates import is_coordinator_in_office, is_coordinator_of_country, is_secretariat


@rules.predicate
def owns_list(user, person_list) -> bool:
    return person_list is not None and person_list.owner_id == user.pk


uses_registry = is_secretariat | is_coordinator_in_office
in_country_scope = is_secretariat | is_coordinator_of_country

rules.set_perm("stakeholders", uses_registry)  # module permission (admin, navigation)
rules.set_perm("stakeholders.view_registry", uses_registry)
for model in (
    "organisation",
    "person",
    "statuschange",
    "interaction",
    "consentevent",
    "partnership",
    "partnershipdocument",
):
    # Object checks take the record, or for `add` the country the new record will belong to.
    for action in ("view", "add", "change", "delete"):
        rules.set_perm(f"stakeholders.{action}_{model}", in_country_scope)
rules.set_perm("stakeholders.export_person", in_country_scope)
rules.set_perm("stakeholders.erase_person", in_country_scope)
rules.set_perm("stakeholders.add_personlist", uses_registry)
for action in ("view", "change", "delete"):
    rules.set_perm(f"stakeholders.{action}_personlist", is_secretariat | owns_list)
rules.set_perm("stakeholders.view_erasurerecord", is_secretariat)
for action in ("add", "change", "delete"):
    rules.set_perm(f"stakeholders.{action}_erasurerecord", rules.always_deny)
