"""Saved valuations are private to their owner (and the Secretariat); a share link gives read-only access."""

import rules

from ipvalue.accounts.predicates import is_secretariat


@rules.predicate
def owns_valuation(user, valuation) -> bool:
    return valuation is not None and user.is_authenticated and valuation.owner_id == user.pk


rules.set_perm("toolkit.view_savedvaluation", is_secretariat | owns_valuation)
rules.set_perm("toolkit.change_savedvaluation", owns_valuation)
rules.set_perm("toolkit.delete_savedvaluation", owns_valuation)
rules.set_perm("toolkit.add_savedvaluation", rules.is_authenticated)
rules.set_perm("toolkit", is_secretariat)
