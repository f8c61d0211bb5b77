"""The README walk-through, done by a client generated from openapi/openapi.json (issue 24).

Run by tests/client/run, which generates the client (openapi-python-client, pinned), starts
the server on a fresh SQLite file and sets STAFFMATCH_URL and STAFFMATCH_ADMIN_KEY.

Every answer is decoded into the generated models and then checked to be typed all the way
down: each field holds the type the spec declares (a date is a date, a nested object a model,
an enum member an enum), and no field arrived that the spec does not declare. A generated
parser that fell back to raw JSON, or a field the spec forgot, fails the run. Statuses the
spec does not list raise (raise_on_unexpected_status).
"""

from __future__ import annotations

import datetime
import os
import sys
import types
import typing
import uuid
from typing import Any

import attrs

from staffmatch_client import AuthenticatedClient, models
from staffmatch_client.api.api_keys import create_api_key
from staffmatch_client.api.assignments import create_assignment, list_assignments
from staffmatch_client.api.consultants import (
    create_consultant,
    get_consultant_by_external_id,
    list_consultants,
    upsert_consultant_by_external_id,
)
from staffmatch_client.api.matching import for_assignment, for_consultant, for_consultant_pair, for_pair
from staffmatch_client.api.skills import resolve
from staffmatch_client.models import (
    AssignmentWrite,
    CefrLevel,
    ClearanceLevel,
    ClearanceProfile,
    ClearanceRequirement,
    ConsultantSkill,
    ConsultantWrite,
    Language,
    LanguageRequirement,
    Location,
    NewApiKey,
    Preference,
    Requirement,
    ResolveRequest,
    WorkMode,
)
from staffmatch_client.types import UNSET, Unset

BASE = os.environ["STAFFMATCH_URL"]
ADMIN = os.environ["STAFFMATCH_ADMIN_KEY"]

# ---------------------------------------------------------------------------------------
# Typed all the way down

_NS: dict[str, Any] = {**vars(models), "Unset": Unset, "datetime": datetime, "UUID": uuid.UUID, "Any": Any}


def _check(value: Any, tp: Any, path: str) -> None:
    """Fails unless `value` is of the declared type `tp` (a resolved annotation)."""
    if tp is Any:
        return
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        errors = []
        for arm in typing.get_args(tp):
            try:
                _check(value, arm, path)
                return
            except AssertionError as e:
                errors.append(str(e))
        raise AssertionError(f"{path}: {value!r} is none of {tp}: {errors}")
    if origin is list:
        assert isinstance(value, list), f"{path}: expected a list, got {value!r}"
        (item,) = typing.get_args(tp)
        for i, v in enumerate(value):
            _check(v, item, f"{path}[{i}]")
        return
    if origin is dict:
        assert isinstance(value, dict), f"{path}: expected a map, got {value!r}"
        _, item = typing.get_args(tp)
        for k, v in value.items():
            _check(v, item, f"{path}.{k}")
        return
    if tp is type(None):
        assert value is None, f"{path}: expected null, got {value!r}"
        return
    if tp is float:
        assert isinstance(value, (int, float)) and not isinstance(value, bool), f"{path}: expected a number, got {value!r}"
        return
    if tp is int:
        assert isinstance(value, int) and not isinstance(value, bool), f"{path}: expected an integer, got {value!r}"
        return
    if tp is datetime.date:
        # a datetime is a date too, in Python; the spec's `date` must not arrive as a date-time
        assert type(value) is datetime.date, f"{path}: expected a date, got {value!r}"
        return
    assert isinstance(value, tp), f"{path}: expected {getattr(tp, '__name__', tp)}, got {value!r}"
    if attrs.has(type(value)):
        typed(value, path)


def typed(model: Any, path: str = "$") -> Any:
    """Checks a decoded model field by field against its declared types; returns it."""
    cls = type(model)
    assert attrs.has(cls), f"{path}: not a generated model: {model!r}"
    extra = getattr(model, "additional_properties", {})
    assert not extra, f"{path} ({cls.__name__}): fields the spec does not declare: {sorted(extra)}"
    hints = typing.get_type_hints(cls, globalns=_NS, localns=_NS)
    for f in attrs.fields(cls):
        if f.name == "additional_properties":
            continue
        _check(getattr(model, f.name), hints[f.name], f"{path}.{f.name}")
    return model


# ---------------------------------------------------------------------------------------
# Calls


def call(endpoint: Any, *args: Any, client: AuthenticatedClient, status: int, model: type, **kw: Any) -> Any:
    """Calls `endpoint`, expects `status` and an answer decoded into `model`, typed throughout."""
    res = endpoint.sync_detailed(*args, client=client, **kw)
    name = endpoint.__name__.rsplit(".", 1)[-1]
    assert res.status_code == status, f"{name}: {res.status_code}, wanted {status}: {res.content[:800]!r}"
    assert isinstance(res.parsed, model), f"{name}: decoded as {type(res.parsed).__name__}, not {model.__name__}"
    return typed(res.parsed, name)


def client_with(key: str) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=BASE, token=key, raise_on_unexpected_status=True, timeout=30.0)


def skill(name: str, years: float, level: int | Unset = UNSET) -> ConsultantSkill:
    return ConsultantSkill(name=name, years=years, level=level)


def langs(*pairs: tuple[str, CefrLevel]) -> list[Language]:
    return [Language(code=c, level=lvl) for c, lvl in pairs]


def clearance(level: ClearanceLevel, citizenships: list[str], willing: bool) -> ClearanceProfile:
    return ClearanceProfile(level=level, citizenships=citizenships, willing_to_undergo=willing)


def main() -> None:
    admin = client_with(ADMIN)

    # A narrower key for the integration, as the README makes it: clearance conditions need
    # the `sensitive` scope, to state them and to read them back.
    made = call(
        create_api_key,
        client=admin,
        status=201,
        model=models.ApiKeyCreated,
        body=NewApiKey(name="teamtailor sync", scopes=["read", "write", "sensitive"]),
    )
    assert made.key.startswith("sm_") and sorted(made.scopes) == ["read", "sensitive", "write"]
    c = client_with(made.key)

    # Store the sample assignment (the IT Project Manager Infrastructure posting).
    posting = AssignmentWrite(
        source="teamtailor",
        external_id="job-77",
        title="IT Project Manager Infrastructure",
        client="Nexer Infrastructure",
        location=Location(city="Malmö", country="SE"),
        work_mode=WorkMode.ONSITE,
        start_date=datetime.date(2025, 10, 1),
        end_date=datetime.date(2026, 3, 31),
        extent_percent=100,
        must_have=[
            Requirement(skill="IT infrastructure project management", min_years=5),
            Requirement(skill="Agile project management"),
        ],
        can_have=[Preference(skill="Service management", weight=2.0), Preference(skill="ITIL", weight=1.0)],
        languages=[
            LanguageRequirement(code="sv", min_level=CefrLevel.C1, required=True),
            LanguageRequirement(code="en", min_level=CefrLevel.C1, required=True),
        ],
        clearance=ClearanceRequirement(required_level=ClearanceLevel.SK3, citizenship=["SE"], accept_willing=True),
    )
    assignment = call(create_assignment, client=c, status=201, model=models.Assignment, body=posting)
    assert assignment.location.city == "Malmö", "Swedish text round-trips exactly"
    assert assignment.clearance.required_level is ClearanceLevel.SK3
    assert assignment.status is models.AssignmentStatus.OPEN
    assert assignment.version == 1
    assert [r.skill for r in assignment.must_have] == ["IT infrastructure project management", "Agile project management"]

    # Consultants, idempotently by the ATS's own id: 201 the first time, 200 after.
    anna = ConsultantWrite(
        name="Anna Lindqvist",
        location=Location(city="Malmö", country="SE"),
        skills=[skill("IT infrastructure project management", 8, 4), skill("Agil projektledning", 6)],
        languages=langs(("sv", CefrLevel.NATIVE), ("en", CefrLevel.C1)),
        clearance=clearance(ClearanceLevel.NONE, ["SE"], True),
    )
    first = call(upsert_consultant_by_external_id, "teamtailor", "c-1029", client=c, status=201, model=models.Consultant, body=anna)
    again = call(upsert_consultant_by_external_id, "teamtailor", "c-1029", client=c, status=200, model=models.Consultant, body=anna)
    assert again.id == first.id and again.version == first.version == 1, "the same body twice changes nothing"
    assert first.skills[1].name == "Agil projektledning", "the text given is kept"
    assert first.skills[1].resolved.skill_id == "agile-project-management", "resolved through its Swedish label"
    assert first.skills[1].resolved.method is models.ResolveMethod.EXACT
    assert first.languages[0].level is CefrLevel.NATIVE

    people = {
        # every hard requirement, written in Swedish, and already cleared above sk3
        "Johan Lindberg": ConsultantWrite(
            name="Johan Lindberg",
            source="teamtailor",
            external_id="c-2001",
            location=Location(city="Karlskrona", country="SE"),
            skills=[skill("Projektledning inom IT-infrastruktur", 7, 4), skill("Agil projektledning", 5, 4), skill("ITIL", 4)],
            languages=langs(("sv", CefrLevel.NATIVE), ("en", CefrLevel.C1)),
            clearance=clearance(ClearanceLevel.SK2, ["SE"], False),
        ),
        # project management in general is not IT infrastructure project management
        "Erik Johansson": ConsultantWrite(
            name="Erik Johansson",
            source="teamtailor",
            external_id="c-2002",
            location=Location(city="Göteborg", country="SE"),
            skills=[skill("Projektledning", 12, 5), skill("Agil projektledning", 6, 4)],
            languages=langs(("sv", CefrLevel.NATIVE), ("en", CefrLevel.C2)),
            clearance=clearance(ClearanceLevel.NONE, ["SE"], True),
        ),
        # Swedish at B1 where C1 is required
        "James Smith": ConsultantWrite(
            name="James Smith",
            source="teamtailor",
            external_id="c-2003",
            location=Location(city="Stockholm", country="SE"),
            skills=[skill("IT infrastructure project management", 9, 5), skill("Agile project management", 7, 4)],
            languages=langs(("en", CefrLevel.NATIVE), ("sv", CefrLevel.B1)),
            clearance=clearance(ClearanceLevel.NONE, ["GB"], True),
        ),
        # every skill, but not a citizen of a country the client accepts
        "Sara Nilsson": ConsultantWrite(
            name="Sara Nilsson",
            source="teamtailor",
            external_id="c-2004",
            location=Location(city="Malmö", country="SE"),
            skills=[skill("IT-infrastrukturprojektledning", 6, 4), skill("Agile project management", 5, 4)],
            languages=langs(("sv", CefrLevel.NATIVE), ("en", CefrLevel.C1), ("da", CefrLevel.NATIVE)),
            clearance=clearance(ClearanceLevel.NONE, ["DK"], True),
        ),
        # the right skill, three years short of the five asked for
        "Karin Holm": ConsultantWrite(
            name="Karin Holm",
            source="teamtailor",
            external_id="c-2005",
            location=Location(city="Lund", country="SE"),
            skills=[skill("IT infrastructure project management", 2, 3), skill("Agile project management", 3, 3)],
            languages=langs(("sv", CefrLevel.NATIVE), ("en", CefrLevel.C1)),
            clearance=clearance(ClearanceLevel.NONE, ["SE"], True),
        ),
    }
    ids = {"Anna Lindqvist": first.id}
    for name, body in people.items():
        ids[name] = call(create_consultant, client=c, status=201, model=models.Consultant, body=body).id

    # Read them back.
    read = call(get_consultant_by_external_id, "teamtailor", "c-1029", client=c, status=200, model=models.Consultant)
    assert (read.id, read.name, read.location.city) == (first.id, "Anna Lindqvist", "Malmö")
    assert read.clearance.citizenships == ["SE"] and read.clearance.level is ClearanceLevel.NONE

    # Page through the consultants, two at a time, following next_cursor.
    pages, cursor = [], UNSET
    while True:
        page = call(list_consultants, client=c, status=200, model=models.ListResponseConsultant, limit=2, cursor=cursor)
        pages.append([p.id for p in page.items])
        if page.next_cursor is None or isinstance(page.next_cursor, Unset):
            break
        cursor = page.next_cursor
        assert len(pages) < 10, "the cursor must come to an end"
    listed = [i for p in pages for i in p]
    assert all(len(p) == 2 for p in pages[:-1]) and 1 <= len(pages[-1]) <= 2, [len(p) for p in pages]
    assert listed == list(ids.values()), "each consultant once, in creation order"
    page = call(list_assignments, client=c, status=200, model=models.ListResponseAssignment, limit=10)
    assert [a.id for a in page.items] == [assignment.id] and page.next_cursor is None

    # Rank consultants for the assignment, with reasons.
    ranking = call(for_assignment, assignment.id, client=c, status=200, model=models.ConsultantMatches, limit=5)
    eligible = {"Anna Lindqvist", "Johan Lindberg"}
    assert {m.name for m in ranking.items} == eligible, [m.name for m in ranking.items]
    assert ranking.total_eligible == 2 and all(m.eligible for m in ranking.items), ranking.total_eligible
    scores = [m.score for m in ranking.items]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 100 for s in scores)
    for m in ranking.items:
        assert abs(sum(e.points for e in m.explanation) - m.score) < 0.05, "the explanation's points add up to the score"
        assert any(e.kind == "must_have" and e.status == "met" for e in m.explanation)
    johan = next(m for m in ranking.items if m.name == "Johan Lindberg")
    assert any("Projektledning inom IT-infrastruktur" in (e.matched_by or "") for e in johan.explanation), "matched_by quotes his words"

    # … and with the ineligible, each left out for the right reason.
    full = call(for_assignment, assignment.id, client=c, status=200, model=models.ConsultantMatches, include_ineligible=True)
    assert len(full.items) == len(ids) and full.total_eligible == 2
    gaps = {m.name: " ".join(m.gaps).lower() for m in full.items if not m.eligible}
    assert set(gaps) == set(ids) - eligible, gaps
    assert "it infrastructure project management" in gaps["Erik Johansson"], gaps["Erik Johansson"]
    assert "swedish" in gaps["James Smith"] or " sv " in f" {gaps['James Smith']} ", gaps["James Smith"]
    assert "citizenship" in gaps["Sara Nilsson"], gaps["Sara Nilsson"]
    assert "years" in gaps["Karin Holm"], gaps["Karin Holm"]

    # One consultant for the assignment: the same score as in the ranking, and her rank.
    for pos, m in enumerate(ranking.items, start=1):
        pair = call(for_pair, assignment.id, m.consultant_id, client=c, status=200, model=models.PairMatch)
        assert pair.score == m.score and pair.eligible and pair.rank == pos, (pair.score, m.score, pair.rank, pos)
        assert [e.points for e in pair.explanation] == [e.points for e in m.explanation]
    james = call(for_pair, assignment.id, ids["James Smith"], client=c, status=200, model=models.PairMatch)
    assert not james.eligible and james.gaps and james.rank in (None, UNSET)

    # … and the open assignments for a consultant, from her side.
    mine = call(for_consultant, first.id, client=c, status=200, model=models.AssignmentMatches)
    assert [(m.assignment_id, m.title) for m in mine.items] == [(assignment.id, "IT Project Manager Infrastructure")]
    anna_score = next(m.score for m in ranking.items if m.consultant_id == first.id)
    assert mine.items[0].score == anna_score, "the same pair scores the same from either side"
    side = call(for_consultant_pair, first.id, assignment.id, client=c, status=200, model=models.AssignmentPairMatch)
    assert side.score == anna_score and side.eligible

    # Resolve skill names: Swedish or English labels, aliases, near-miss spellings.
    resolved = call(
        resolve,
        client=c,
        status=200,
        model=models.ResolveResponse,
        body=ResolveRequest(names=["Agil projektledning", "k8s", "Kubernets", "Java"]),
    )
    got = {r.input_: (r.skill.label_en if r.skill else None, r.method) for r in resolved.results}
    assert got["Agil projektledning"][0] == "Agile project management"
    assert got["k8s"][0] == got["Kubernets"][0] == "Kubernetes" and got["Kubernets"][1] == "fuzzy"
    assert got["Java"][0] == "Java"

    # Paste a job ad, get a draft; it can be stored as it is. (The generator makes no
    # function for a text/plain body, so the request is sent by hand; the answer still goes
    # through the generated model.)
    with open(os.path.join(os.path.dirname(__file__), "../fixtures/postings/seed-it-project-manager-infrastructure.txt"), encoding="utf-8") as f:
        ad = f.read()
    res = c.get_httpx_client().post("/api/v1/assignments/parse", content=ad.encode(), headers={"content-type": "text/plain; charset=utf-8"})
    assert res.status_code == 200, res.text
    parsed = typed(models.ParsedAd.from_dict(res.json()), "parse")
    assert parsed.assignment.title == "IT Project Manager Infrastructure"
    assert any(r.skill == "IT infrastructure project management" for r in parsed.assignment.must_have)
    stored = call(create_assignment, client=c, status=201, model=models.Assignment, body=parsed.assignment)
    assert stored.title == parsed.assignment.title and stored.location.city == "Malmö"

    # Bad input gets a problem+json answer naming every offending field.
    bad = ConsultantWrite(name="", skills=[skill("Java", 75)])
    problem = call(create_consultant, client=c, status=422, model=models.Problem, body=bad)
    assert problem.code == "validation_failed" and problem.status == 422
    assert {e.field for e in problem.errors} == {"name", "skills[0].years"}, problem.errors

    # Without the `sensitive` scope clearance is neither stated nor shown.
    reader = client_with(call(create_api_key, client=admin, status=201, model=models.ApiKeyCreated, body=NewApiKey(name="reader", scopes=["read"])).key)
    plain = call(get_consultant_by_external_id, "teamtailor", "c-1029", client=reader, status=200, model=models.Consultant)
    assert isinstance(plain.clearance, Unset), plain.clearance

    print(f"walk-through passed: {len(ids)} consultants, 2 assignments, every answer decoded into typed models")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"walk-through FAILED: {e}", file=sys.stderr)
        raise
