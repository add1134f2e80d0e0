"""Who may import statistics: the Secretariat (and the command line, which runs without a user). Charts and the
open-data API are public."""

import rules

from ipvalue.accounts.predicates import is_secretariat

rules.set_perm("indicators.import_file", is_secretariat)
