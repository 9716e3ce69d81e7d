"""The brokerage meeting scheduler: rules, optimality, preferences, stability, fallback, input."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from parkbridge.events import scheduling
from parkbridge.events.scheduling import (
    Assignment,
    MeetingRequest,
    Participant,
    ScheduleResult,
    SchedulingProblem,
    UnscheduledReason,
    schedule_meetings,
    schedule_meetings_greedy,
    validate,
)

# Small instances solve in milliseconds; the limit only guards against a stuck machine.
TIME_LIMIT_S = 10.0
PROPERTY_SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def cp_sat(
    problem: SchedulingProblem, previous: Mapping[Any, Assignment] | None = None
) -> ScheduleResult:
    return schedule_meetings(problem, previous=previous, time_limit_s=TIME_LIMIT_S, num_workers=1)


SCHEDULERS: dict[str, Callable[..., ScheduleResult]] = {
    "cp-sat": cp_sat,
    "greedy": schedule_meetings_greedy,
}


def person(name: str, slots: str | list[str], limit: int = 5) -> Participant:
    return Participant(name, frozenset([slots] if isinstance(slots, str) else slots), limit)


@st.composite
def problems(
    draw: st.DrawFn, max_slots: int = 5, max_people: int = 9, max_requests: int = 18
) -> SchedulingProblem:
    slots = [f"s{number}" for number in range(draw(st.integers(1, max_slots)))]
    tables: int | dict[str, int]
    if draw(st.booleans()):
        tables = draw(st.integers(1, 3))
    else:
        tables = {slot: draw(st.integers(0, 3)) for slot in slots}
    people = [
        Participant(
            f"p{number}",
            frozenset(draw(st.sets(st.sampled_from(slots), min_size=1))),
            draw(st.integers(1, 3)),
        )
        for number in range(draw(st.integers(2, max_people)))
    ]
    pairs = [(a, b) for a in range(len(people)) for b in range(a + 1, len(people))]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=max_requests))
    requests = []
    for number, (a, b) in enumerate(chosen):
        if draw(st.booleans()):
            a, b = b, a
        requests.append(
            MeetingRequest(
                f"r{number}",
                f"p{a}",
                f"p{b}",
                priority=draw(st.integers(0, 2)),
                mutual=draw(st.booleans()),
            )
        )
    return SchedulingProblem(slots=slots, tables=tables, participants=people, requests=requests)


def assert_keeps_every_rule(problem: SchedulingProblem, result: ScheduleResult) -> None:
    """The rules checked here directly, independently of validate(), and then by validate()."""
    people = {participant.id: participant for participant in problem.participants}
    requests = {request.id: request for request in problem.requests}
    seen_in_slot: set[tuple[object, object]] = set()
    tables_used: set[tuple[object, int]] = set()
    meetings = Counter[object]()
    for request_id, assignment in result.assignments.items():
        request = requests[request_id]
        assert 1 <= assignment.table <= problem.tables_in(assignment.slot)
        assert (assignment.slot, assignment.table) not in tables_used
        tables_used.add((assignment.slot, assignment.table))
        for who in (request.requester, request.invitee):
            assert assignment.slot in people[who].available_slots
            assert (who, assignment.slot) not in seen_in_slot
            seen_in_slot.add((who, assignment.slot))
            meetings[who] += 1
    for who, count in meetings.items():
        assert count <= people[who].meeting_limit
    assert set(result.assignments) | set(result.unscheduled) == set(requests)
    assert not set(result.assignments) & set(result.unscheduled)
    assert validate(problem, result) == []


def most_meetings(problem: SchedulingProblem) -> int:
    """Exhaustive search: the most meetings any schedule can hold."""
    people = {participant.id: participant for participant in problem.participants}
    requests = list(problem.requests)
    busy: set[tuple[object, object]] = set()
    meetings = Counter[object]()
    in_slot = Counter[object]()

    def best_from(index: int) -> int:
        if index == len(requests):
            return 0
        request = requests[index]
        best = best_from(index + 1)
        pair = (request.requester, request.invitee)
        if any(meetings[who] >= people[who].meeting_limit for who in pair):
            return best
        for slot in problem.common_slots(request):
            if in_slot[slot] >= problem.tables_in(slot) or any((who, slot) in busy for who in pair):
                continue
            in_slot[slot] += 1
            for who in pair:
                busy.add((who, slot))
                meetings[who] += 1
            best = max(best, 1 + best_from(index + 1))
            in_slot[slot] -= 1
            for who in pair:
                busy.discard((who, slot))
                meetings[who] -= 1
        return best

    return best_from(0)


@pytest.mark.slow
@pytest.mark.parametrize("scheduler", SCHEDULERS.values(), ids=SCHEDULERS.keys())
@PROPERTY_SETTINGS
@given(problem=problems())
def test_schedules_keep_every_rule(
    scheduler: Callable[[SchedulingProblem], ScheduleResult], problem: SchedulingProblem
) -> None:
    result = scheduler(problem)
    assert_keeps_every_rule(problem, result)
    assert result.meetings_upper_bound is not None
    assert result.meeting_count <= result.meetings_upper_bound


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(problem=problems(max_slots=3, max_people=6, max_requests=7))
def test_cp_sat_finds_the_most_meetings_and_a_true_bound(problem: SchedulingProblem) -> None:
    best = most_meetings(problem)
    solved = cp_sat(problem)
    greedy = schedule_meetings_greedy(problem)
    assert solved.method == "cp-sat"
    assert solved.solver_status == "OPTIMAL"
    assert solved.meeting_count == best >= greedy.meeting_count
    assert solved.meetings_upper_bound == best
    assert greedy.meetings_upper_bound is not None and greedy.meetings_upper_bound >= best


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(problem=problems(max_slots=3, max_people=6, max_requests=7))
def test_cp_sat_rounds_on_the_slots_repair_what_matching_misses(problem: SchedulingProblem) -> None:
    # Matching places nothing here, so every meeting must come from the CP-SAT slot rounds.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            scheduling,
            "_slots_by_matching",
            lambda instance, selected: [None] * instance.request_count,
        )
        solved = cp_sat(problem)
    assert_keeps_every_rule(problem, solved)
    assert solved.meeting_count == most_meetings(problem)


def test_cp_sat_rounds_free_a_table_that_blocks_a_meeting() -> None:
    # Greedy puts the mutual C-D into s1, the only slot of A-B; nobody is shared, only the
    # table, so the rounds must widen to the whole event to move C-D to s2.
    problem = SchedulingProblem(
        slots=["s1", "s2"],
        tables=1,
        participants=[
            person("A", "s1"),
            person("B", "s1"),
            person("C", ["s1", "s2"]),
            person("D", ["s1", "s2"]),
        ],
        requests=[MeetingRequest("ab", "A", "B"), MeetingRequest("cd", "C", "D", mutual=True)],
    )
    assert schedule_meetings_greedy(problem).meeting_count == 1
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            scheduling,
            "_slots_by_matching",
            lambda instance, selected: [None] * instance.request_count,
        )
        solved = cp_sat(problem)
    assert solved.assignments == {"ab": Assignment("s1", 1), "cd": Assignment("s2", 1)}


def test_cp_sat_beats_greedy_where_priority_misleads_it() -> None:
    # Greedy seats the high-priority meeting A-B first in the first slot; A is then busy when
    # C (only there in s1) could meet her. The optimum moves A-B to s2.
    problem = SchedulingProblem(
        slots=["s1", "s2"],
        tables=5,
        participants=[person("A", ["s1", "s2"]), person("B", ["s1", "s2"]), person("C", "s1")],
        requests=[
            MeetingRequest("ab", "A", "B", priority=2),
            MeetingRequest("ac", "A", "C", priority=0),
        ],
    )
    greedy = schedule_meetings_greedy(problem)
    solved = cp_sat(problem)
    assert greedy.meeting_count == 1
    assert greedy.unscheduled == {"ac": UnscheduledReason.PARTICIPANT_BUSY}
    assert solved.meeting_count == 2 == solved.meetings_upper_bound
    assert solved.assignments["ab"].slot == "s2"
    assert solved.assignments["ac"].slot == "s1"
    assert solved.solver_status == "OPTIMAL"


def test_count_comes_before_priority_when_limits_bind() -> None:
    # A and B may each meet once: the high-priority A-B would leave C and D without a meeting.
    problem = SchedulingProblem(
        slots=["s1"],
        tables=5,
        participants=[
            person("A", "s1", 1),
            person("B", "s1", 1),
            person("C", "s1"),
            person("D", "s1"),
        ],
        requests=[
            MeetingRequest("ab", "A", "B", priority=2, mutual=True),
            MeetingRequest("ac", "A", "C"),
            MeetingRequest("bd", "B", "D"),
        ],
    )
    assert schedule_meetings_greedy(problem).meeting_count == 1
    solved = cp_sat(problem)
    assert set(solved.assignments) == {"ac", "bd"}
    assert solved.unscheduled == {"ab": UnscheduledReason.LIMIT_REACHED}


def conflict(first: MeetingRequest, second: MeetingRequest) -> SchedulingProblem:
    """A can meet once; the scheduler must choose between her two requests."""
    return SchedulingProblem(
        slots=["s1"],
        tables=5,
        participants=[person("A", "s1", 1), person("B", "s1"), person("C", "s1")],
        requests=[first, second],
    )


@pytest.mark.parametrize("scheduler", SCHEDULERS.values(), ids=SCHEDULERS.keys())
@pytest.mark.parametrize(
    ("loser", "winner"),
    [
        (MeetingRequest("ab", "A", "B"), MeetingRequest("ac", "A", "C", mutual=True)),
        (MeetingRequest("ab", "A", "B", priority=0), MeetingRequest("ac", "C", "A", priority=1)),
        (MeetingRequest("ab", "A", "B", priority=9), MeetingRequest("ac", "A", "C", mutual=True)),
    ],
    ids=["mutual", "priority", "mutual-over-priority"],
)
def test_mutual_and_higher_priority_requests_win_a_conflict(
    scheduler: Callable[[SchedulingProblem], ScheduleResult],
    loser: MeetingRequest,
    winner: MeetingRequest,
) -> None:
    for first, second in ((loser, winner), (winner, loser)):
        result = scheduler(conflict(first, second))
        assert set(result.assignments) == {winner.id}
        assert result.unscheduled == {loser.id: UnscheduledReason.LIMIT_REACHED}


def day_with_room() -> SchedulingProblem:
    slots = ["09:00", "09:30", "10:00", "10:30"]
    people = [person(f"p{number}", slots, 3) for number in range(6)]
    pairs = [(0, 1), (0, 2), (1, 3), (2, 4), (3, 5), (4, 5), (0, 5), (1, 2)]
    requests = [MeetingRequest(f"r{a}{b}", f"p{a}", f"p{b}") for a, b in pairs]
    return SchedulingProblem(slots=slots, tables=3, participants=people, requests=requests)


def without(problem: SchedulingProblem, request_id: object) -> SchedulingProblem:
    return SchedulingProblem(
        slots=problem.slots,
        tables=problem.tables,
        participants=problem.participants,
        requests=[request for request in problem.requests if request.id != request_id],
    )


@pytest.mark.parametrize("scheduler", SCHEDULERS.values(), ids=SCHEDULERS.keys())
def test_cancelling_a_request_keeps_every_other_meeting_in_place(
    scheduler: Callable[..., ScheduleResult],
) -> None:
    problem = day_with_room()
    announced = scheduler(problem)
    assert announced.meeting_count == len(problem.requests)
    rerun = scheduler(without(problem, "r12"), previous=announced.assignments)
    assert rerun.assignments == {
        request_id: assignment
        for request_id, assignment in announced.assignments.items()
        if request_id != "r12"
    }
    assert rerun.announced_kept == set(rerun.assignments)
    assert not rerun.announced_moved and not rerun.announced_dropped


@pytest.mark.parametrize("scheduler", SCHEDULERS.values(), ids=SCHEDULERS.keys())
def test_a_new_request_goes_into_a_gap_and_a_changed_availability_moves_only_its_meetings(
    scheduler: Callable[..., ScheduleResult],
) -> None:
    problem = day_with_room()
    announced = scheduler(problem)
    moved_request = "r01"
    lost_slot = announced.assignments[moved_request].slot
    people = [
        participant
        if participant.id != "p0"
        else Participant("p0", participant.available_slots - {lost_slot}, 3)
        for participant in problem.participants
    ]
    changed = SchedulingProblem(
        slots=problem.slots,
        tables=problem.tables,
        participants=people,
        requests=[*problem.requests, MeetingRequest("new", "p3", "p4", priority=1)],
    )
    rerun = scheduler(changed, previous=announced.assignments)
    assert_keeps_every_rule(changed, rerun)
    assert "new" in rerun.assignments
    assert rerun.announced_moved == {moved_request}
    assert rerun.announced_kept == set(announced.assignments) - {moved_request}


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(problem=problems(), data=st.data())
def test_a_cancellation_keeps_the_other_meetings_unless_the_gap_lets_more_in(
    problem: SchedulingProblem, data: st.DataObject
) -> None:
    announced = cp_sat(problem)
    if not announced.assignments:
        return
    cancelled = data.draw(st.sampled_from(sorted(announced.assignments, key=str)))
    changed = without(problem, cancelled)
    rerun = cp_sat(changed, previous=announced.assignments)
    assert_keeps_every_rule(changed, rerun)
    assert rerun.solver_status == "OPTIMAL"
    assert rerun.meeting_count >= announced.meeting_count - 1
    if rerun.meeting_count == announced.meeting_count - 1:
        # Keeping everything else is a schedule with the most meetings, so it must be chosen.
        assert rerun.announced_kept == set(announced.assignments) - {cancelled}
    greedy_rerun = schedule_meetings_greedy(changed, previous=announced.assignments)
    assert greedy_rerun.announced_kept == set(announced.assignments) - {cancelled}


def test_a_kept_meeting_keeps_its_table() -> None:
    problem = SchedulingProblem(
        slots=["s1"],
        tables=3,
        participants=[person(name, "s1") for name in "ABCDEF"],
        requests=[MeetingRequest("ab", "A", "B"), MeetingRequest("cd", "C", "D")],
    )
    previous = {"ab": Assignment("s1", 3), "gone": Assignment("s1", 1)}
    added = SchedulingProblem(
        slots=problem.slots,
        tables=problem.tables,
        participants=problem.participants,
        requests=[*problem.requests, MeetingRequest("ef", "E", "F", mutual=True)],
    )
    for scheduler in SCHEDULERS.values():
        result = scheduler(added, previous=previous)
        assert result.assignments["ab"] == Assignment("s1", 3)
        assert {result.assignments["cd"].table, result.assignments["ef"].table} == {1, 2}
        assert result.announced_kept == {"ab"}


def test_tables_per_slot_are_respected() -> None:
    problem = SchedulingProblem(
        slots=["s1", "s2", "s3"],
        tables={"s1": 1, "s2": 0, "s3": 2},
        participants=[person(f"p{number}", ["s1", "s2", "s3"], 3) for number in range(8)],
        requests=[MeetingRequest(f"r{n}", f"p{n}", f"p{n + 4}") for n in range(4)],
    )
    for scheduler in SCHEDULERS.values():
        result = scheduler(problem)
        assert_keeps_every_rule(problem, result)
        assert result.meeting_count == 3
        assert Counter(a.slot for a in result.assignments.values()) == {"s1": 1, "s3": 2}
        assert list(result.unscheduled.values()) == [UnscheduledReason.NO_ROOM]


def test_unscheduled_requests_say_why() -> None:
    problem = SchedulingProblem(
        slots=["am", "pm"],
        tables={"am": 5, "pm": 0},
        participants=[
            person("early", "am"),
            person("late", "pm"),
            person("A", "am", 1),
            person("B", "am"),
            person("C", "am"),
            person("E", ["am", "pm"]),
            person("F", "am"),
            person("G", "am"),
        ],
        requests=[
            MeetingRequest("never-together", "early", "late"),
            MeetingRequest("only-tableless", "late", "E"),
            MeetingRequest("ab", "A", "B", mutual=True),
            MeetingRequest("ac", "A", "C"),
            MeetingRequest("ef", "E", "F", mutual=True),
            MeetingRequest("eg", "E", "G"),
        ],
    )
    for scheduler in SCHEDULERS.values():
        result = scheduler(problem)
        assert result.unscheduled == {
            "never-together": UnscheduledReason.NO_COMMON_SLOT,
            "only-tableless": UnscheduledReason.NO_ROOM,
            "ac": UnscheduledReason.LIMIT_REACHED,
            "eg": UnscheduledReason.PARTICIPANT_BUSY,
        }


def busy_event() -> SchedulingProblem:
    slots = [f"s{number}" for number in range(6)]
    people = [person(f"p{number}", slots, 4) for number in range(30)]
    requests = [
        MeetingRequest(f"r{a}-{b}", f"p{a}", f"p{b}", priority=(a + b) % 3, mutual=a % 5 == 0)
        for a in range(30)
        for b in range(a + 1, 30)
        if (a * 7 + b * 3) % 4 == 0
    ]
    return SchedulingProblem(slots=slots, tables=8, participants=people, requests=requests)


def test_a_tiny_time_limit_falls_back_to_greedy() -> None:
    problem = busy_event()
    result = schedule_meetings(problem, time_limit_s=1e-9)
    assert result.method == "greedy"
    assert result.solver_status == "UNKNOWN"
    assert result.assignments == schedule_meetings_greedy(problem).assignments
    assert_keeps_every_rule(problem, result)


def test_a_solver_failure_falls_back_to_greedy(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_solve(*args: object, **kwargs: object) -> None:
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(cp_model.CpSolver, "solve", broken_solve)
    problem = busy_event()
    result = schedule_meetings(problem)
    assert result.method == "greedy"
    assert result.solver_status == "ERROR: RuntimeError: solver crashed"
    assert result.assignments == schedule_meetings_greedy(problem).assignments
    assert_keeps_every_rule(problem, result)


@pytest.mark.slow
def test_cp_sat_on_a_busy_event_is_proven_optimal_and_beats_greedy() -> None:
    problem = busy_event()
    solved = schedule_meetings(problem, time_limit_s=TIME_LIMIT_S)
    greedy = schedule_meetings_greedy(problem)
    assert_keeps_every_rule(problem, solved)
    assert solved.meeting_count >= greedy.meeting_count
    assert solved.proven_optimal_count


def test_validate_names_each_broken_rule() -> None:
    problem = SchedulingProblem(
        slots=["s1", "s2"],
        tables=1,
        participants=[person("A", ["s1", "s2"], 1), person("B", "s1"), person("C", "s1")],
        requests=[MeetingRequest("ab", "A", "B"), MeetingRequest("ac", "A", "C")],
    )
    violations = validate(
        problem,
        {
            "ab": Assignment("s1", 1),
            "ac": Assignment("s1", 1),
            "zz": Assignment("s1", 2),
        },
    )
    assert violations == [
        "table 1 in slot 's1' hosts two meetings (requests 'ab' and 'ac')",
        "'A' has two meetings in slot 's1' (requests 'ab' and 'ac')",
        "request 'zz' is not part of the problem",
        "'A' has 2 meetings, more than their limit of 1",
    ]
    assert validate(problem, {"ac": Assignment("s2", 2)}) == [
        "request 'ac': table 2 does not exist in slot 's2' (it has 1 tables)",
        "request 'ac': 'C' is not available in slot 's2'",
    ]
    assert validate(problem, {"ab": Assignment("s9", 1)}) == [
        "request 'ab' is in unknown slot 's9'"
    ]
    incomplete = ScheduleResult(
        assignments={"ab": Assignment("s1", 1)},
        unscheduled={"ab": UnscheduledReason.NO_ROOM},
        method="greedy",
        solver_status="NOT_RUN",
        meetings_upper_bound=None,
        wall_time_s=0.0,
    )
    assert validate(problem, incomplete) == [
        "request 'ab' is both scheduled and unscheduled",
        "request 'ac' is neither scheduled nor listed as unscheduled",
    ]


def build(**changes: object) -> SchedulingProblem:
    fields: dict[str, object] = {
        "slots": ["s1", "s2"],
        "tables": 2,
        "participants": [person("A", ["s1", "s2"]), person("B", "s1")],
        "requests": [MeetingRequest("ab", "A", "B")],
    }
    fields.update(changes)
    return SchedulingProblem(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slots": ["s1", "s1", "s2"]}, "slot 's1' is listed twice"),
        ({"tables": -1}, "the number of tables must not be negative, got -1"),
        ({"tables": {"s1": 2}}, "no table count for slot 's2'"),
        ({"tables": {"s1": 2, "s2": 1, "s3": 1}}, "table count given for unknown slot 's3'"),
        (
            {"tables": {"s1": 2, "s2": -3}},
            "slot 's2': the number of tables must be an integer >= 0",
        ),
        (
            {"participants": [person("A", "s1"), person("A", "s2"), person("B", "s1")]},
            "participant 'A' is listed twice",
        ),
        (
            {"participants": [person("A", "s1", 0), person("B", "s1")]},
            "participant 'A': the meeting limit must be a positive integer, got 0",
        ),
        (
            {"participants": [person("A", "s1", -2), person("B", "s1")]},
            "meeting limit must be a positive integer, got -2",
        ),
        (
            {"participants": [person("A", "s7"), person("B", "s1")]},
            "participant 'A' is available in unknown slot(s) 's7'",
        ),
        (
            {"requests": [MeetingRequest("ab", "A", "Z")]},
            "request 'ab' names unknown participant 'Z'",
        ),
        (
            {"requests": [MeetingRequest("aa", "A", "A")]},
            "request 'aa' asks 'A' to meet themselves",
        ),
        (
            {"requests": [MeetingRequest("ab", "A", "B"), MeetingRequest("ab", "B", "A")]},
            "request 'ab' is listed twice",
        ),
        (
            {"requests": [MeetingRequest("ab", "A", "B"), MeetingRequest("ba", "B", "A")]},
            "requests 'ab' and 'ba' both ask for a meeting of 'B' and 'A'",
        ),
        (
            {"requests": [MeetingRequest("ab", "A", "B", priority=1.5)]},  # type: ignore[arg-type]
            "request 'ab': priority must be an integer",
        ),
    ],
)
def test_inconsistent_input_is_refused_with_a_clear_message(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match="invalid scheduling problem") as error:
        build(**changes)
    assert message in str(error.value)


def test_every_input_problem_is_reported_at_once() -> None:
    with pytest.raises(ValueError) as error:
        build(
            participants=[person("A", "s1", 0), person("B", "s1")],
            requests=[MeetingRequest("ab", "A", "Z")],
        )
    assert "meeting limit" in str(error.value) and "unknown participant 'Z'" in str(error.value)


@pytest.mark.parametrize(
    ("options", "message"),
    [({"time_limit_s": 0}, "time_limit_s must be positive"), ({"num_workers": 0}, "num_workers")],
)
def test_solver_options_are_checked(options: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        schedule_meetings(build(), **options)  # type: ignore[arg-type]


def test_an_empty_event_schedules_nothing() -> None:
    problem = build(requests=[])
    result = cp_sat(problem)
    assert result.assignments == {} and result.unscheduled == {}
    assert result.meetings_upper_bound == 0
