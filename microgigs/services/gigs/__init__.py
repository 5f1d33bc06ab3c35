"""Gigs: posting them, their lifecycle, and reading them for the board and detail pages.

One module per job, lowest first (each imports only the ones above it):
  vocabulary       categories, location modes, form limits, public statuses
  lookups          a gig by id, skill names of gigs, a student's skills
  markup           a gig's markdown made inert, rendered to safe HTML
  form             GigInput, the rules of its fields, a stored gig read back as the form
  lifecycle        the transition table and move_gig, the only writer of Gig.status
  publishing       submit, approve, reject
  cards            a gig's card, read for a list of gigs
  board            the board's page of cards, a gig's own page (read models: search, track record)
  drafts           create, post a previewed draft, edit, reuse as a template; which employers a manager posts for
  saved            a student's saved gigs
  recommendations  open gigs that fit a student's skills

Callers use `from microgigs.services import gigs` and the names below.
"""

from microgigs.services.gigs.board import BoardPage, GigDetail, QuestionView, board_count_text, employer_choices, gig_detail, list_board
from microgigs.services.gigs.cards import GigCard, cards_by_ids, cards_for
from microgigs.services.gigs.drafts import (
    CHOOSE_ORGANIZATION,
    EDITABLE,
    PostingOrganization,
    create_gig,
    draft_for_edit,
    post_draft,
    posting_organizations,
    template_from,
    update_gig,
)
from microgigs.services.gigs.form import GigInput, input_from_gig, pay_floor_text, texts_of, validate_gig_input
from microgigs.services.gigs.lifecycle import MOVES, move_gig
from microgigs.services.gigs.lookups import all_skill_names, get_gig, skill_names_by_gig, student_skill_ids
from microgigs.services.gigs.publishing import approve_gig, reject_gig, submit_gig
from microgigs.services.gigs.recommendations import RECOMMEND_FROM_NEWEST, Recommendation, recommended_for
from microgigs.services.gigs.saved import is_saved, save_gig, saved_cards, saved_gig_ids, unsave_gig
from microgigs.services.gigs.vocabulary import (
    BOARD_PAGE_SIZE,
    CATEGORIES,
    CATEGORY_NAMES,
    LOCATION_MODE_NAMES,
    LOCATION_MODES,
    MAX_PAY_CENTS,
    MAX_QUESTIONS,
    MAX_SKILLS,
    MAX_SLOTS,
    PUBLIC_STATUSES,
    format_money,
)
from microgigs.services.markdown import neutralize_markup, render_markdown

__all__ = [
    "BOARD_PAGE_SIZE",
    "CATEGORIES",
    "CATEGORY_NAMES",
    "CHOOSE_ORGANIZATION",
    "EDITABLE",
    "LOCATION_MODES",
    "LOCATION_MODE_NAMES",
    "MAX_PAY_CENTS",
    "MAX_QUESTIONS",
    "MAX_SKILLS",
    "MAX_SLOTS",
    "MOVES",
    "PUBLIC_STATUSES",
    "RECOMMEND_FROM_NEWEST",
    "BoardPage",
    "GigCard",
    "GigDetail",
    "GigInput",
    "PostingOrganization",
    "QuestionView",
    "Recommendation",
    "all_skill_names",
    "approve_gig",
    "board_count_text",
    "cards_by_ids",
    "cards_for",
    "create_gig",
    "draft_for_edit",
    "employer_choices",
    "format_money",
    "get_gig",
    "gig_detail",
    "input_from_gig",
    "is_saved",
    "list_board",
    "move_gig",
    "neutralize_markup",
    "pay_floor_text",
    "post_draft",
    "posting_organizations",
    "recommended_for",
    "reject_gig",
    "render_markdown",
    "save_gig",
    "saved_cards",
    "saved_gig_ids",
    "skill_names_by_gig",
    "student_skill_ids",
    "submit_gig",
    "template_from",
    "texts_of",
    "unsave_gig",
    "update_gig",
    "validate_gig_input",
]
