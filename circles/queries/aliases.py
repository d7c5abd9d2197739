"""Second names for the models a query joins twice: a pair's two members, a member and their partner, a
circle against a later one, a check-in against a newer one.

Made once, at import: an alias adapts the model's columns at first use and keeps them, and the
statements that use it keep one cache key. A new alias at each call cost most of building a statement
(0.9 of 1.0 ms for the escalation cards' pairs). Each is used in one role within a statement.
"""

from __future__ import annotations

from sqlalchemy.orm import aliased

from circles.persistence.models import CheckIn, Circle, CircleMembership, Member, Partnership

FIRST_PARTNER, SECOND_PARTNER = aliased(Member), aliased(Member)  # a partnership's first and second member
THIS_MEMBER, OTHER_PARTNER = aliased(Member), aliased(Member)  # the membership asked about, and its partner
OTHER_PAIR = aliased(Partnership)  # another pair, beside the one a query is about
LATER_CIRCLE = aliased(Circle)
NEWER_CHECKIN = aliased(CheckIn)
FELLOW_SEAT, FELLOW = aliased(CircleMembership), aliased(Member)  # the others seated in a member's circle
