"""The id a page's own URL names, read one way for every page (state/url_ids.py)."""

import pytest

from microgigs.state import disputes, gig_detail, manage_gig, post_gig, preview_gig, review, staff, workspace
from microgigs.state.money import RECEIPT_ROUTE
from microgigs.state.url_ids import id_in_path


@pytest.mark.parametrize(
    ("path", "route", "expected"),
    [
        ("/gigs/42", gig_detail.ROUTE, 42),
        ("/gigs/42/", gig_detail.ROUTE, 42),
        ("/gigs/new", gig_detail.ROUTE, 0),
        ("/gigs/-1", gig_detail.ROUTE, 0),
        ("/gigs/12/edit", post_gig.EDIT_ROUTE, 12),
        ("/gigs/new", post_gig.EDIT_ROUTE, 0),
        ("/gigs/x/edit", post_gig.EDIT_ROUTE, 0),
        ("/gigs/7/preview", preview_gig.ROUTE, 7),
        ("/gigs/7", preview_gig.ROUTE, 0),
        ("/manage/gigs/12", manage_gig.ROUTE, 12),
        ("/engagements/7/", workspace.ROUTE, 7),
        ("/engagements/abc", workspace.ROUTE, 0),
        ("/engagements/" + "9" * 20, workspace.ROUTE, 0),
        ("/engagements/²", workspace.ROUTE, 0),
        # Another page's path never names this page's object, even with a number in the same place.
        ("/engagements/7/review", workspace.ROUTE, 0),
        ("/engagements/7/review", review.ROUTE, 7),
        ("/engagements/7/dispute", disputes.OPEN_ROUTE, 7),
        ("/engagements/7/dispute", review.ROUTE, 0),
        ("/disputes/3", disputes.ROUTE, 3),
        ("/payments/receipt/5", RECEIPT_ROUTE, 5),
        ("/staff/students/9", staff.STUDENT_ROUTE, 9),
        ("", gig_detail.ROUTE, 0),
        (None, gig_detail.ROUTE, 0),
    ],
)
def test_the_id_comes_only_from_the_pages_own_route(path, route, expected):
    assert id_in_path(path, route) == expected
