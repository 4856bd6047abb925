"""Life-cycle events of statements. `inline` listens to re-anchor passage comments."""

from django.dispatch import Signal

# statement, revision (the new one), previous (the revision before, or None)
statement_revised = Signal()
