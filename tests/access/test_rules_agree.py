"""The single-object checks and the list filters of the apps' ``policy`` modules always agree (property test)."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saraban.access.principal import Principal, principal_for
from saraban.drafting import policy as drafting_policy
from saraban.intake import policy as intake_policy
from saraban.intake.models import IntakeItem
from saraban.kernel import clock
from saraban.letters import policy as letters_policy
from saraban.letters.models import Letter, LetterAccess
from saraban.orgs.models import Person, Position, PositionHolding, Role, Unit
from saraban.registry import policy as registry_policy
from saraban.registry.books import BookKind
from saraban.registry.models import RegisterBook, RegisterEntry
from saraban.routing.models import Step
from tests.fixtures import user

pytestmark = pytest.mark.django_db

SECRECIES = ["normal", "confidential", "secret", "top_secret"]
STATUSES = ["registered", "cancelled", "outside"]
STEP_STATUSES = ["waiting", "sent", "opened", "acknowledged", "done", "returned", "recalled"]


@pytest.fixture
def population(org):
    rnd = random.Random(7)
    units = list(Unit.objects.all())
    positions = list(Position.objects.all())
    people = list(Person.objects.select_related("user"))
    users = [p.user for p in people if p.user]
    now = clock.now()
    letters, entries, intake = [], [], []
    for i, (secrecy, status) in enumerate(itertools.product(SECRECIES, STATUSES)):
        for j in range(3):
            unit = rnd.choice(units)
            letter = Letter.objects.create(
                agency_id=unit.agency_id, unit=unit, direction="incoming", kind="external", subject=f"L{i}-{j}",
                secrecy=secrecy, status=status, created_by=rnd.choice([*users, None]), created_at=now,
            )
            if rnd.random() < 0.4:
                LetterAccess.objects.create(letter=letter, person=rnd.choice(people), reason="test", granted_at=now)
            if rnd.random() < 0.3:
                LetterAccess.objects.create(letter=letter, unit=rnd.choice(units), reason="test", granted_at=now)
            letters.append(letter)
            kind = rnd.choice(list(BookKind.values))
            book, _ = RegisterBook.objects.get_or_create(unit=unit, kind=kind, year_be=2569)
            book.last_number += 1
            book.save()
            entries.append(RegisterEntry.objects.create(
                book=book, number=book.last_number, display=str(book.last_number), letter=letter, subject="s",
                registered_at=now, secrecy=secrecy,
            ))
            intake.append(IntakeItem.objects.create(
                agency_id=unit.agency_id, unit=unit, channel="upload", received_at=now, secrecy=secrecy,
            ))
            if rnd.random() < 0.5:  # routed to a position (seen by whoever holds or acts in it today)
                Step.objects.create(letter=letter, kind="distribute", status=rnd.choice(STEP_STATUSES),
                                    to_position=rnd.choice(positions), to_label="p", created_at=now)
    today = clock.today()
    for person in rnd.sample(people, 6):  # acting delegations: current, past and future
        start = today + dt.timedelta(days=rnd.choice([-10, -1, 0, 3]))
        PositionHolding.objects.create(person=person, position=rnd.choice(positions), kind="acting", start=start,
                                       end=start + dt.timedelta(days=rnd.choice([0, 2, 30])))
    return {"units": units, "people": people, "users": users, "letters": letters, "entries": entries,
            "intake": intake}


def principals(pop):
    unit_ids = [u.pk for u in pop["units"]]
    people = pop["people"]
    roles = st.dictionaries(st.sampled_from(list(Role.values)), st.frozensets(st.sampled_from(unit_ids), max_size=6),
                            max_size=4)
    return st.builds(
        lambda person, clearance, by_role, members: Principal(
            user_id=person.user_id, person_id=person.pk, clearance=clearance, home_unit_id=person.home_unit_id,
            agency_id=None, units_by_role=by_role,
            member_unit_ids=frozenset({person.home_unit_id, *members}),
        ),
        st.sampled_from(people), st.integers(0, 3), roles, st.frozensets(st.sampled_from(unit_ids), max_size=3),
    )


def test_letter_entry_and_intake_rules_agree(population) -> None:
    # routing's grant (a live step to a position held or acted in today) is part of the letter rule
    assert "routing.position" in {s.name for s in letters_policy.grant_sources()}
    letters = population["letters"]
    entries = population["entries"]
    items = population["intake"]

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(principals(population))
    def check(p: Principal) -> None:
        listed = set(Letter.objects.filter(letters_policy.visible_letters_q(p)).values_list("pk", flat=True))
        assert {x.pk for x in letters if letters_policy.can_view_letter(p, x)} == listed & {x.pk for x in letters}
        listed_e = set(RegisterEntry.objects.filter(registry_policy.visible_entries_q(p)).values_list("pk", flat=True))
        assert {e.pk for e in entries if registry_policy.can_view_entry(p, e)} == listed_e
        listed_i = set(IntakeItem.objects.filter(intake_policy.visible_intake_q(p)).values_list("pk", flat=True))
        assert {i.pk for i in items if intake_policy.can_view_intake(p, i.unit_id, i.secrecy)} == listed_i

    check()


def test_route_rules_agree_for_real_people(population) -> None:
    """Principals built from the people's real roles and holdings (acting ones included) agree too, and
    routing by position reaches someone."""
    letters = population["letters"]
    reached = 0
    for u in population["users"]:
        p = principal_for(u)
        listed = set(Letter.objects.filter(letters_policy.visible_letters_q(p)).values_list("pk", flat=True))
        assert {x.pk for x in letters if letters_policy.can_view_letter(p, x)} == listed & {x.pk for x in letters}
        reached += len(listed)
    assert reached > 0


def test_demo_people_see_what_they_should(org, clock) -> None:
    from saraban.registry.actions import Upload, register_incoming
    from saraban.registry.validation import IncomingMetadata
    from tests.fixtures import make_pdf, meta

    normal = register_incoming(user("registrar"), IncomingMetadata(**meta()), Upload(make_pdf(), "a.pdf"))
    secret = register_incoming(user("secretary"), IncomingMetadata(**meta(secrecy="secret", their_ref="ลับ/1")),
                               Upload(make_pdf(variant=3), "b.pdf"))
    registrar, secretary, director = (principal_for(user(u)) for u in ("registrar", "secretary", "director"))
    assert letters_policy.can_view_letter(registrar, normal.letter)
    assert not letters_policy.can_view_letter(registrar, secret.letter)
    assert letters_policy.can_view_letter(secretary, secret.letter)
    assert not letters_policy.can_view_letter(director, secret.letter)  # cleared for ลับ only, and not on its route
    assert secret.book.kind == "secret_received"
    assert not registry_policy.can_view_book(registrar, secret.book.unit_id, "secret_received")


# ---- drafts ----------------------------------------------------------------------------------------

DRAFT_STATUSES = ["draft", "in_review", "returned", "approved", "signed", "cancelled"]


@pytest.fixture
def drafts(org):
    """Drafts of every status and secrecy with random drafters, reviewers, signers and review steps."""
    from saraban.drafting.models import Draft, DraftParticipant, ReviewStep

    rnd = random.Random(11)
    units = list(Unit.objects.select_related("agency"))
    people = [p for p in Person.objects.select_related("user") if p.user_id]
    now = clock.now()
    out = []
    for i, (secrecy, status) in enumerate(itertools.product(SECRECIES[:3], DRAFT_STATUSES)):
        unit = rnd.choice(units)
        drafter = rnd.choice(people)
        d = Draft.objects.create(agency=unit.agency, unit=unit, kind="external", subject=f"D{i}", secrecy=secrecy,
                                 status=status, round=rnd.randint(1, 2), created_by=drafter.user, drafter=drafter,
                                 created_at=now, updated_at=now)
        DraftParticipant.objects.create(draft=d, person=drafter, role="drafter")
        chosen = rnd.sample(people, 4)
        for n, p in enumerate(chosen[:2], start=1):
            DraftParticipant.objects.create(draft=d, person=p, role="reviewer", order=n)
        for n, p in enumerate(chosen[2:], start=1):
            DraftParticipant.objects.create(draft=d, person=p, role="signer", order=n, mode="pki")
        for rnd_no in (1, 2):
            for n, p in enumerate(chosen, start=1):
                ReviewStep.objects.create(draft=d, round=rnd_no, order=n, person=p, role="review",
                                          state=rnd.choice(["waiting", "current", "approved", "returned"]))
        out.append(d)
    return {"drafts": out, "people": people, "units": units}


def test_draft_rules_agree(drafts) -> None:
    from saraban.drafting.models import Draft

    all_drafts = drafts["drafts"]
    pop = {"units": drafts["units"], "people": drafts["people"]}

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(principals(pop))
    def check(p: Principal) -> None:
        for q, can in ((drafting_policy.visible_drafts_q, drafting_policy.can_view_draft),
                       (drafting_policy.drafts_to_review_q, drafting_policy.can_review_draft),
                       (drafting_policy.drafts_to_sign_q, drafting_policy.can_sign_draft)):
            listed = set(Draft.objects.filter(q(p)).values_list("pk", flat=True))
            assert {d.pk for d in all_drafts if can(p, d)} == listed, q.__name__

    check()
    # and for the real people, with their own clearance and roles
    for person in drafts["people"]:
        p = principal_for(person.user)
        assert {d.pk for d in all_drafts if drafting_policy.can_view_draft(p, d)} == set(
            Draft.objects.filter(drafting_policy.visible_drafts_q(p)).values_list("pk", flat=True))


# ---- loans: a time-limited grant ------------------------------------------------------------------


def test_loan_grants_agree_as_time_passes(population, request) -> None:
    """Electronic loans (running, returned, not yet started, expired; paper ones that grant nothing) are a
    grant source of the letter rule: the check and the filter agree before, during and after each loan."""
    from saraban.records.models import Loan

    assert "records.loan" in {s.name for s in letters_policy.grant_sources()}
    moving = request.getfixturevalue("clock")
    rnd = random.Random(13)
    letters = population["letters"]
    start = moving.now()
    for letter in rnd.sample(letters, 24):
        lent = start + dt.timedelta(hours=rnd.choice([-48, -1, 0, 5]))
        due = lent + dt.timedelta(hours=rnd.choice([1, 24, 72]))
        borrower = rnd.choice(population["people"])
        Loan.objects.create(
            agency_id=letter.agency_id, letter=letter, medium=rnd.choice(["electronic", "electronic", "paper"]),
            scope="internal", borrower=borrower, borrower_name="b", borrower_agency="a", purpose="p",
            receiver_name="r", lent_at=lent, due_at=due, created_at=lent,
            returned_at=rnd.choice([None, None, lent + dt.timedelta(minutes=30)]),
        )

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(principals(population))
    def check(p: Principal) -> None:
        listed = set(Letter.objects.filter(letters_policy.visible_letters_q(p)).values_list("pk", flat=True))
        assert {x.pk for x in letters if letters_policy.can_view_letter(p, x)} == listed & {x.pk for x in letters}

    seen_at: dict[object, set[frozenset]] = {}
    for hours in (-49, 0, 2, 23, 30, 80):  # before, during and after the loans
        moving.set(start + dt.timedelta(hours=hours))
        check()
        for person in population["people"]:
            p = Principal(user_id=person.user_id, person_id=person.pk, clearance=3, home_unit_id=None,
                          agency_id=None)
            seen = frozenset(Letter.objects.filter(letters_policy.visible_letters_q(p)).values_list("pk", flat=True))
            seen_at.setdefault(person.pk, set()).add(seen)
    assert any(len(views) > 1 for views in seen_at.values())  # the loans grant, then stop granting
