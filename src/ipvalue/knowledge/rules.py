"""Who may do what in the knowledge base: a national coordinator proposes records for their own countries; the
Secretariat proposes for any country, reviews (publishes or rejects) and edits the taxonomy. Published records are
public."""

import rules

from ipvalue.accounts.predicates import is_coordinator_in_office, is_coordinator_of_country, is_secretariat

rules.set_perm("knowledge.propose_record", is_secretariat | is_coordinator_of_country)
rules.set_perm("knowledge.propose_any", is_secretariat | is_coordinator_in_office)
rules.set_perm("knowledge.review_record", is_secretariat)
rules.set_perm("knowledge.change_term", is_secretariat)
