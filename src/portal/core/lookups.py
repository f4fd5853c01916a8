"""`field__any=values`: the field equals one of many values (a consultant's 320 factory
numbers), sent to PostgreSQL as one array parameter, `field = ANY(%s)`. Django's `__in` writes
one placeholder a value: each is prepared, quoted and parsed again on every query (about 1 ms of
Python for 320 numbers, bench/pages), and every list length is a different statement to plan.
A subquery, and other databases (SQLite for `make run`), get what `__in` writes."""

from django.core.exceptions import EmptyResultSet
from django.db.models import CharField, IntegerField
from django.db.models.lookups import In


# Text and whole numbers only: their values are the same in Python and in the database once
# the field has prepared them (get_prep_lookup), which the array parameter relies on.
@CharField.register_lookup
@IntegerField.register_lookup
class AnyOf(In):
    lookup_name = "any"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)
        # As __in: values prepared by the field, None never matches, nothing matches nothing.
        values = [value for value in self.rhs if value is not None]
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, values)
