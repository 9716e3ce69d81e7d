"""Meeting scheduler for brokerage (B2B matchmaking) events.

Pure Python with no Django models: the events app turns its rows into a `SchedulingProblem`,
calls `schedule_meetings()` (OR-Tools CP-SAT, falling back to a greedy) or
`schedule_meetings_greedy()`, checks the outcome with `validate()` and saves it.

The objective is lexicographic (docs/decisions/006-brokerage-scheduler.md): first as many
meetings as possible, then as many announced meetings kept in their slot as possible, then
mutual and higher-priority requests. Tables are numbered from 1 and assigned after the slots,
keeping a kept meeting's previous table.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any, Literal, TypeAlias

from ortools.sat.python import cp_model

# Ids are whatever the caller uses (database keys, UUIDs, strings); they are only compared
# and hashed, never sorted, so the input order decides every tie. Mappings passed in are keyed
# by `Any` because Mapping is invariant in its key: a caller's dict[int, ...] must fit.
SlotId: TypeAlias = Hashable
ParticipantId: TypeAlias = Hashable
RequestId: TypeAlias = Hashable

DEFAULT_TIME_LIMIT_S = 30.0
DEFAULT_NUM_WORKERS = 2


@dataclass(frozen=True)
class Participant:
    """A registered person: the slots they are present in and how many meetings they want."""

    id: ParticipantId
    available_slots: frozenset[SlotId]
    meeting_limit: int

    def __post_init__(self) -> None:
        # Callers often pass a set or a list; a frozenset keeps the problem immutable.
        object.__setattr__(self, "available_slots", frozenset(self.available_slots))


@dataclass(frozen=True)
class MeetingRequest:
    """An accepted request for a meeting between two participants."""

    id: RequestId
    requester: ParticipantId
    invitee: ParticipantId
    priority: int = 0
    mutual: bool = False


@dataclass(frozen=True)
class Assignment:
    """Where a meeting takes place: a slot and a table number (1, 2, ...) in that slot."""

    slot: SlotId
    table: int


class UnscheduledReason(StrEnum):
    """Why a request got no meeting, judged against the final schedule."""

    # The two people are never present at the same time (or only in slots without tables).
    NO_COMMON_SLOT = "no-common-slot"
    # One of the two already has as many meetings as their limit allows.
    LIMIT_REACHED = "limit-reached"
    # In every common slot where both are free, all tables are taken.
    NO_ROOM = "no-room"
    # In every common slot, one of the two already has another meeting.
    PARTICIPANT_BUSY = "participant-busy"


@dataclass(frozen=True, eq=False)
class SchedulingProblem:
    """An event's slots (in time order), tables and accepted requests; validated on creation.

    `tables` is either the number of tables in every slot or a mapping slot -> number of
    tables that names every slot. Raises ValueError, listing every problem found, when the
    input is inconsistent.
    """

    slots: Sequence[SlotId]
    tables: int | Mapping[Any, int]
    participants: Sequence[Participant]
    requests: Sequence[MeetingRequest]

    def __post_init__(self) -> None:
        object.__setattr__(self, "slots", tuple(self.slots))
        object.__setattr__(self, "participants", tuple(self.participants))
        object.__setattr__(self, "requests", tuple(self.requests))
        if isinstance(self.tables, Mapping):
            object.__setattr__(self, "tables", dict(self.tables))
        errors = _problem_errors(self)
        if errors:
            shown = "; ".join(errors[:20])
            more = f" (and {len(errors) - 20} more)" if len(errors) > 20 else ""
            raise ValueError(f"invalid scheduling problem: {shown}{more}")

    def tables_in(self, slot: SlotId) -> int:
        """Number of tables in `slot`."""
        if isinstance(self.tables, int):
            return self.tables
        return self.tables[slot]

    @cached_property
    def participant_by_id(self) -> dict[ParticipantId, Participant]:
        return {participant.id: participant for participant in self.participants}

    @cached_property
    def request_by_id(self) -> dict[RequestId, MeetingRequest]:
        return {request.id: request for request in self.requests}

    def common_slots(self, request: MeetingRequest) -> tuple[SlotId, ...]:
        """Slots, in event order, in which both people of `request` are available."""
        first = self.participant_by_id[request.requester].available_slots
        second = self.participant_by_id[request.invitee].available_slots
        return tuple(slot for slot in self.slots if slot in first and slot in second)


@dataclass(frozen=True)
class ScheduleResult:
    """The schedule and how it was found.

    `method` is "cp-sat" when CP-SAT ran (its schedule, or the greedy one it could not beat),
    "greedy" for the greedy alone or the fallback. `solver_status` is "OPTIMAL" (proven best
    for the whole objective), "FEASIBLE", or why CP-SAT gave nothing: "UNKNOWN" (out of time),
    "ERROR: ..." or "NOT_RUN". `meetings_upper_bound` is a proven upper bound on the number of
    meetings any schedule can have (from CP-SAT's bound when it ran, else a counting bound); it
    equals `meeting_count` when that count is proven the most possible. The `announced_*` sets
    sort the requests of `previous` that are still in the problem: kept (same slot and table),
    moved (another slot or table) and dropped (no meeting now); the last two need a notice.
    """

    assignments: dict[RequestId, Assignment]
    unscheduled: dict[RequestId, UnscheduledReason]
    method: Literal["cp-sat", "greedy"]
    solver_status: str
    meetings_upper_bound: int | None
    wall_time_s: float
    announced_kept: frozenset[RequestId] = field(default_factory=frozenset)
    announced_moved: frozenset[RequestId] = field(default_factory=frozenset)
    announced_dropped: frozenset[RequestId] = field(default_factory=frozenset)

    @property
    def meeting_count(self) -> int:
        return len(self.assignments)

    @property
    def proven_optimal_count(self) -> bool:
        """True when no schedule can have more meetings than this one."""
        return self.meetings_upper_bound == self.meeting_count


def schedule_meetings(
    problem: SchedulingProblem,
    *,
    previous: Mapping[Any, Assignment] | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    num_workers: int = DEFAULT_NUM_WORKERS,
    random_seed: int = 0,
) -> ScheduleResult:
    """Schedule as many meetings as possible with CP-SAT, starting from the greedy schedule.

    `previous` holds the announced meetings (request id -> assignment); requests no longer in
    the problem are ignored. `time_limit_s` bounds the CP-SAT searches together (building the
    models adds a few seconds for thousands of requests). If CP-SAT fails or finds nothing in
    time, the greedy schedule is returned with method "greedy" and the solver's status.
    """
    if not time_limit_s > 0:
        raise ValueError(f"time_limit_s must be positive, got {time_limit_s!r}")
    if num_workers < 1:
        raise ValueError(f"num_workers must be at least 1, got {num_workers!r}")
    started = time.perf_counter()
    instance = _Instance(problem, previous or {})
    search = _Search(
        instance,
        deadline=started + time_limit_s,
        time_limit_s=time_limit_s,
        num_workers=num_workers,
        random_seed=random_seed,
    )
    try:
        search.run()
    except Exception as error:  # a solver failure must never block the event
        search.status = f"ERROR: {type(error).__name__}: {error}"
    return _result(
        instance,
        search.best_slots,
        search.method,
        search.final_status,
        search.meetings_upper_bound,
        started,
    )


def schedule_meetings_greedy(
    problem: SchedulingProblem,
    *,
    previous: Mapping[Any, Assignment] | None = None,
) -> ScheduleResult:
    """The greedy schedule alone (the fallback and the benchmark's baseline).

    Announced meetings are placed first in their previous slot; then requests go, mutual
    first, then by priority, then those with the fewest common slots, each into the first
    slot that still fits.
    """
    started = time.perf_counter()
    instance = _Instance(problem, previous or {})
    slots = _greedy_slots(instance)
    return _result(instance, slots, "greedy", "NOT_RUN", instance.counting_upper_bound, started)


def validate(
    problem: SchedulingProblem,
    result: ScheduleResult | Mapping[Any, Assignment],
) -> list[str]:
    """Every rule the schedule breaks, in words; an empty list means it can be saved.

    Accepts a result or a bare mapping request id -> assignment (an organizer's manual edit).
    """
    assignments = result.assignments if isinstance(result, ScheduleResult) else result
    violations: list[str] = []
    slot_set = set(problem.slots)
    meetings_of: dict[ParticipantId, int] = defaultdict(int)
    request_at: dict[tuple[ParticipantId, SlotId], RequestId] = {}
    request_at_table: dict[tuple[SlotId, int], RequestId] = {}
    for request_id, assignment in assignments.items():
        request = problem.request_by_id.get(request_id)
        if request is None:
            violations.append(f"request {request_id!r} is not part of the problem")
            continue
        slot, table = assignment.slot, assignment.table
        if slot not in slot_set:
            violations.append(f"request {request_id!r} is in unknown slot {slot!r}")
            continue
        tables = problem.tables_in(slot)
        if not isinstance(table, int) or not 1 <= table <= tables:
            violations.append(
                f"request {request_id!r}: table {table!r} does not exist in slot {slot!r} "
                f"(it has {tables} tables)"
            )
        elif (slot, table) in request_at_table:
            violations.append(
                f"table {table} in slot {slot!r} hosts two meetings (requests "
                f"{request_at_table[slot, table]!r} and {request_id!r})"
            )
        else:
            request_at_table[slot, table] = request_id
        for person in (request.requester, request.invitee):
            if slot not in problem.participant_by_id[person].available_slots:
                violations.append(
                    f"request {request_id!r}: {person!r} is not available in slot {slot!r}"
                )
            if (person, slot) in request_at:
                violations.append(
                    f"{person!r} has two meetings in slot {slot!r} (requests "
                    f"{request_at[person, slot]!r} and {request_id!r})"
                )
            else:
                request_at[person, slot] = request_id
            meetings_of[person] += 1
    for person, count in meetings_of.items():
        limit = problem.participant_by_id[person].meeting_limit
        if count > limit:
            violations.append(f"{person!r} has {count} meetings, more than their limit of {limit}")
    if isinstance(result, ScheduleResult):
        for request_id in result.unscheduled:
            if request_id in assignments:
                violations.append(f"request {request_id!r} is both scheduled and unscheduled")
        for request in problem.requests:
            if request.id not in assignments and request.id not in result.unscheduled:
                violations.append(
                    f"request {request.id!r} is neither scheduled nor listed as unscheduled"
                )
    return violations


def _problem_errors(problem: SchedulingProblem) -> list[str]:
    errors: list[str] = []
    slot_set: set[SlotId] = set()
    for slot in problem.slots:
        if slot in slot_set:
            errors.append(f"slot {slot!r} is listed twice")
        slot_set.add(slot)
    if isinstance(problem.tables, bool) or not isinstance(problem.tables, int | Mapping):
        errors.append(
            f"tables must be an integer or a mapping slot -> integer, got {problem.tables!r}"
        )
    elif isinstance(problem.tables, int):
        if problem.tables < 0:
            errors.append(f"the number of tables must not be negative, got {problem.tables}")
    else:
        for slot in problem.slots:
            if slot not in problem.tables:
                errors.append(f"no table count for slot {slot!r}")
        for slot, count in problem.tables.items():
            if slot not in slot_set:
                errors.append(f"table count given for unknown slot {slot!r}")
            elif isinstance(count, bool) or not isinstance(count, int) or count < 0:
                errors.append(
                    f"slot {slot!r}: the number of tables must be an integer >= 0, got {count!r}"
                )
    participant_ids: set[ParticipantId] = set()
    for participant in problem.participants:
        if participant.id in participant_ids:
            errors.append(f"participant {participant.id!r} is listed twice")
        participant_ids.add(participant.id)
        limit = participant.meeting_limit
        if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
            errors.append(
                f"participant {participant.id!r}: the meeting limit must be a positive integer, "
                f"got {limit!r}"
            )
        unknown = [slot for slot in participant.available_slots if slot not in slot_set]
        if unknown:
            errors.append(
                f"participant {participant.id!r} is available in unknown slot(s) "
                + ", ".join(repr(slot) for slot in unknown)
            )
    request_ids: set[RequestId] = set()
    request_of_pair: dict[frozenset[ParticipantId], RequestId] = {}
    for request in problem.requests:
        if request.id in request_ids:
            errors.append(f"request {request.id!r} is listed twice")
        request_ids.add(request.id)
        if isinstance(request.priority, bool) or not isinstance(request.priority, int):
            errors.append(
                f"request {request.id!r}: priority must be an integer, got {request.priority!r}"
            )
        unknown_people = [
            person
            for person in (request.requester, request.invitee)
            if person not in participant_ids
        ]
        for person in unknown_people:
            errors.append(f"request {request.id!r} names unknown participant {person!r}")
        if unknown_people:
            continue
        if request.requester == request.invitee:
            errors.append(f"request {request.id!r} asks {request.requester!r} to meet themselves")
            continue
        pair = frozenset((request.requester, request.invitee))
        if pair in request_of_pair:
            errors.append(
                f"requests {request_of_pair[pair]!r} and {request.id!r} both ask for a meeting of "
                f"{request.requester!r} and {request.invitee!r}; pass one request "
                "(mutual=True when both asked)"
            )
        else:
            request_of_pair[pair] = request.id
    return errors


class _Instance:
    """The problem in index form (participants, slots and requests numbered from 0)."""

    def __init__(self, problem: SchedulingProblem, previous: Mapping[Any, Assignment]):
        self.problem = problem
        self.previous = previous
        slot_index = {slot: index for index, slot in enumerate(problem.slots)}
        person_index = {person.id: index for index, person in enumerate(problem.participants)}
        self.capacity = [problem.tables_in(slot) for slot in problem.slots]
        self.limit = [person.meeting_limit for person in problem.participants]
        self.available = [
            frozenset(slot_index[slot] for slot in person.available_slots)
            for person in problem.participants
        ]
        self.people: list[tuple[int, int]] = []
        self.common: list[list[int]] = []  # slots where both are present, in event order
        self.feasible: list[list[int]] = []  # ... and that have at least one table
        self.feasible_mask: list[int] = []  # the same as a bit set
        self.previous_slot: list[int | None] = []
        self.previous_table: list[int | None] = []
        self.requests_of: list[list[int]] = [[] for _ in problem.participants]
        for request in problem.requests:
            first, second = person_index[request.requester], person_index[request.invitee]
            self.people.append((first, second))
            self.requests_of[first].append(len(self.people) - 1)
            self.requests_of[second].append(len(self.people) - 1)
            common = sorted(self.available[first] & self.available[second])
            self.common.append(common)
            self.feasible.append([slot for slot in common if self.capacity[slot] > 0])
            self.feasible_mask.append(sum(1 << slot for slot in self.feasible[-1]))
            announced = previous.get(request.id)
            if announced is None or announced.slot not in slot_index:
                self.previous_slot.append(None)
                self.previous_table.append(None)
            else:
                self.previous_slot.append(slot_index[announced.slot])
                self.previous_table.append(announced.table)
        # Dense priority ranks keep the weights small whatever numbers the caller uses; a
        # mutual request outranks a one-sided one of any priority.
        ranks = {
            value: rank for rank, value in enumerate(sorted({r.priority for r in problem.requests}))
        }
        self.preference = [
            ranks[request.priority] + (len(ranks) if request.mutual else 0)
            for request in problem.requests
        ]
        # The greedy order: mutual first, then priority, then scarcity (fewest feasible slots).
        self.greedy_order = sorted(
            range(len(problem.requests)),
            key=lambda r: (
                not problem.requests[r].mutual,
                -problem.requests[r].priority,
                len(self.feasible[r]),
                r,
            ),
        )

    @property
    def request_count(self) -> int:
        return len(self.people)

    @cached_property
    def counting_upper_bound(self) -> int:
        """No schedule has more meetings than this (requests, tables, half the people's room)."""
        schedulable = [r for r in range(self.request_count) if self.feasible[r]]
        requests_of: dict[int, int] = defaultdict(int)
        slots_of: dict[int, set[int]] = defaultdict(set)
        for r in schedulable:
            for person in self.people[r]:
                requests_of[person] += 1
                slots_of[person].update(self.feasible[r])
        room_of_people = sum(
            min(self.limit[person], requests_of[person], len(slots_of[person]))
            for person in requests_of
        )
        return min(len(schedulable), sum(self.capacity), room_of_people // 2)

    def can_keep(self, r: int) -> bool:
        """Whether request `r` was announced in a slot that it can still use."""
        return self.previous_slot[r] in self.feasible[r]

    def keeps_slot(self, r: int, slot: int | None) -> bool:
        return slot is not None and slot == self.previous_slot[r]


class _Occupancy:
    """Who meets in which slot, and how full each person and slot is, while placing meetings."""

    def __init__(self, instance: _Instance):
        self.instance = instance
        slot_count = len(instance.capacity)
        self.busy = [bytearray(slot_count) for _ in instance.limit]
        self.meetings_of = [0] * len(instance.limit)
        self.meetings_in_slot = [0] * slot_count

    def fits(self, r: int, slot: int) -> bool:
        first, second = self.instance.people[r]
        return (
            self.meetings_in_slot[slot] < self.instance.capacity[slot]
            and not self.busy[first][slot]
            and not self.busy[second][slot]
            and self.meetings_of[first] < self.instance.limit[first]
            and self.meetings_of[second] < self.instance.limit[second]
        )

    def place(self, r: int, slot: int) -> None:
        self.meetings_in_slot[slot] += 1
        for person in self.instance.people[r]:
            self.busy[person][slot] = 1
            self.meetings_of[person] += 1


def _greedy_slots(instance: _Instance) -> list[int | None]:
    slot_of: list[int | None] = [None] * instance.request_count
    occupancy = _Occupancy(instance)
    for r in instance.greedy_order:
        announced = instance.previous_slot[r]
        if (
            announced is not None
            and announced in instance.feasible[r]
            and occupancy.fits(r, announced)
        ):
            occupancy.place(r, announced)
            slot_of[r] = announced
    return _fill_free_places(instance, slot_of, occupancy)


def _fill_free_places(
    instance: _Instance, slot_of: Sequence[int | None], occupancy: _Occupancy | None = None
) -> list[int | None]:
    """Put every unscheduled request that still fits into its first free slot, greedy order."""
    slot_of = list(slot_of)
    if occupancy is None:
        occupancy = _Occupancy(instance)
        for r, slot in enumerate(slot_of):
            if slot is not None:
                occupancy.place(r, slot)
    for r in instance.greedy_order:
        if slot_of[r] is None:
            for slot in instance.feasible[r]:
                if occupancy.fits(r, slot):
                    occupancy.place(r, slot)
                    slot_of[r] = slot
                    break
    return slot_of


@dataclass(frozen=True)
class _ObjectiveWeights:
    """Integer weights under which more meetings always win, then more kept announcements.

    Each meeting earns `per_meeting + preference (+ per_kept when in its announced slot)`.
    `per_kept` exceeds the largest preference total any schedule can reach, and `per_meeting`
    exceeds the largest kept-plus-preference total, so the weighted sum orders schedules
    lexicographically by (meetings, kept, preference).
    """

    per_meeting: int
    per_kept: int

    @classmethod
    def for_instance(cls, instance: _Instance) -> _ObjectiveWeights:
        most_meetings = instance.counting_upper_bound
        schedulable = [r for r in range(instance.request_count) if instance.feasible[r]]
        preferences = [instance.preference[r] for r in schedulable]
        preference_span = min(sum(preferences), max(preferences, default=0) * most_meetings)
        per_kept = preference_span + 1
        keepable = sum(1 for r in schedulable if instance.can_keep(r))
        kept_span = per_kept * min(keepable, most_meetings)
        return cls(per_meeting=kept_span + preference_span + 1, per_kept=per_kept)

    def selection_coefficient(self, instance: _Instance, r: int) -> int:
        # Stage 1 cannot know the slot, so it credits every chosen announced meeting that could
        # stay put: never less than the full model credits, which keeps its bound valid.
        kept = self.per_kept if instance.can_keep(r) else 0
        return self.per_meeting + kept + instance.preference[r]

    def coefficient(self, instance: _Instance, r: int, slot: int) -> int:
        kept = self.per_kept if instance.keeps_slot(r, slot) else 0
        return self.per_meeting + kept + instance.preference[r]

    def value(self, instance: _Instance, slot_of: Sequence[int | None]) -> int:
        return sum(
            self.coefficient(instance, r, slot)
            for r, slot in enumerate(slot_of)
            if slot is not None
        )


# Shares of the time limit. Both selection stages usually prove their optimum within them
# (about 8 and 12 s for 3,000 requests on two busy cores); matching then takes milliseconds,
# and the reserve is for CP-SAT rounds on the slots when matching falls short.
_COUNT_SHARE_OF_TIME = 0.4
_SLOTS_RESERVE_SHARE_OF_TIME = 0.2
_NEIGHBOURHOOD_SHARE_OF_TIME = 0.1
_SHORTEST_SOLVE_S = 0.5
_MOST_ROUNDS = 20
# A neighbourhood this close to the whole problem is solved as the whole problem.
_WHOLE_PROBLEM_SHARE = 0.8
# Enough capacity cuts for the usual day structures (whole day, mornings, afternoons, gaps)
# without a quadratic blow-up when everybody's availability differs.
_MOST_TABLE_CUTS = 200


class _Search:
    """CP-SAT stages against the clock, keeping the best schedule and the best proven bound.

    1. Selection, count only: which requests meet, with slots left out (a relaxation, so its
       bound caps every schedule). 2. Selection again, the count held, now preferring kept
       announcements, mutual and high-priority requests. 3. Slots for the selection by
       matching, slot after slot. 4. While the schedule misses part of the selection: CP-SAT
       on the slots of the requests around what it misses, the rest fixed, widening the
       neighbourhood when a round gains nothing, up to the whole problem.
    """

    def __init__(
        self,
        instance: _Instance,
        *,
        deadline: float,
        time_limit_s: float,
        num_workers: int,
        random_seed: int,
    ):
        self.instance = instance
        self.weights = _ObjectiveWeights.for_instance(instance)
        self.deadline = deadline
        self.time_limit_s = time_limit_s
        self.num_workers = num_workers
        self.random_seed = random_seed
        self.best_slots = _greedy_slots(instance)
        self.best_value = self.weights.value(instance, self.best_slots)
        self.method: Literal["cp-sat", "greedy"] = "greedy"
        self.objective_bound: int | None = None
        self.status = "NOT_RUN"

    def time_left(self) -> float:
        return self.deadline - time.perf_counter()

    def solve(self, model: cp_model.CpModel, time_limit_s: float) -> tuple[cp_model.CpSolver, str]:
        """Run CP-SAT; returns the solver (for values and bound) and the status name."""
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.0, time_limit_s)
        solver.parameters.num_workers = self.num_workers
        solver.parameters.random_seed = self.random_seed
        status = solver.solve(model)
        return solver, solver.status_name(status)

    def consider(self, candidate: Sequence[int | None]) -> bool:
        """Keep `candidate` (filled up greedily) if it is at least as good; True if better."""
        filled = _fill_free_places(self.instance, candidate)
        value = self.weights.value(self.instance, filled)
        # The best schedule so far is every model's hint, so a solver's schedule is rarely
        # worse; comparing guards against a hint the solver could not use.
        if value < self.best_value:
            return False
        improved = value > self.best_value
        self.best_slots, self.best_value = filled, value
        return improved

    def tighten(self, objective_bound: int | None) -> None:
        if objective_bound is None:
            return
        if self.objective_bound is None or objective_bound < self.objective_bound:
            self.objective_bound = objective_bound

    @property
    def proven(self) -> bool:
        return self.objective_bound is not None and self.best_value >= self.objective_bound

    @property
    def final_status(self) -> str:
        return "OPTIMAL" if self.proven else self.status

    @property
    def meetings_upper_bound(self) -> int:
        bound = self.instance.counting_upper_bound
        if self.objective_bound is not None:
            # objective = per_meeting * meetings + (a non-negative rest) <= bound.
            bound = min(bound, self.objective_bound // self.weights.per_meeting)
        return bound

    def run(self) -> None:
        instance, weights = self.instance, self.weights
        schedulable = [r for r in range(instance.request_count) if instance.feasible[r]]
        keepable = [r for r in schedulable if instance.can_keep(r)]
        # Count first, then announcements that can stay (small weights solve fast). Starting
        # from the greedy schedule, which keeps them all, the search then only gives one up
        # for more meetings.
        per_meeting = len(keepable) + 1
        counted = self.select(
            {r: per_meeting + instance.can_keep(r) for r in schedulable},
            hint={r for r in schedulable if self.best_slots[r] is not None},
            at_least=0,
            time_limit_s=self.time_limit_s * _COUNT_SHARE_OF_TIME,
        )
        if counted is None:
            return
        # From here on CP-SAT works: the schedule is its own or the greedy one it confirmed.
        self.method = "cp-sat"
        selected, counted_bound = counted
        # meetings <= meetings_bound, and the rest of the objective is below per_meeting.
        meetings_bound = counted_bound // per_meeting
        self.tighten((meetings_bound + 1) * weights.per_meeting - 1)
        if self.time_left() >= _SHORTEST_SOLVE_S:
            preferred = self.select(
                {r: weights.selection_coefficient(instance, r) for r in schedulable},
                hint=selected,
                at_least=len(selected),
                time_limit_s=max(
                    _SHORTEST_SOLVE_S,
                    self.time_left() - self.time_limit_s * _SLOTS_RESERVE_SHARE_OF_TIME,
                ),
            )
            if preferred is not None:
                selected, objective_bound = preferred
                self.tighten(objective_bound)
        self.consider(_slots_by_matching(instance, sorted(selected)))
        self.status = "FEASIBLE"
        # The selection's own score is what a schedule realising it in full reaches; beyond
        # that only the unproven rest of the preference stage could gain, so stop there.
        selection_value = sum(weights.selection_coefficient(instance, r) for r in selected)
        hops = 1
        previous_free: set[int] | None = None
        for _ in range(_MOST_ROUNDS):
            if (
                self.proven
                or self.best_value >= selection_value
                or self.time_left() < _SHORTEST_SOLVE_S
            ):
                return
            free = _neighbourhood(instance, self.best_slots, selected, hops)
            if free is not None and free == previous_free:
                # Widening through people found nobody new; what blocks may be full tables.
                free = None
            previous_free = free
            time_limit_s = self.time_left()
            if free is not None:
                time_limit_s = min(time_limit_s, self.time_limit_s * _NEIGHBOURHOOD_SHARE_OF_TIME)
            improved = self.solve_slots(free, time_limit_s)
            if free is None:
                return
            if not improved:
                hops += 1

    def select(
        self, coefficients: dict[int, int], *, hint: set[int], at_least: int, time_limit_s: float
    ) -> tuple[set[int], int] | None:
        """Stage 1: which requests meet; returns them and the bound on the objective."""
        instance = self.instance
        model = cp_model.CpModel()
        chosen = {r: model.new_bool_var("") for r in coefficients}
        requests_of: dict[int, list[int]] = defaultdict(list)
        for r, literal in chosen.items():
            model.add_hint(literal, r in hint)
            for person in instance.people[r]:
                requests_of[person].append(r)
        masks = instance.feasible_mask
        for person, requests in requests_of.items():
            _add_at_most(model, [chosen[r] for r in requests], instance.limit[person])
            # A person meets at most once per slot: among requests confined to the slots F,
            # at most |F| meetings.
            confinements = {masks[r] for r in requests}
            confinements.add(_union(masks[r] for r in requests))
            for mask in confinements:
                confined = [chosen[r] for r in requests if masks[r] & ~mask == 0]
                _add_at_most(model, confined, mask.bit_count())
        # Meetings confined to the slots F need tables there.
        common_masks = Counter(masks[r] for r in chosen).most_common(_MOST_TABLE_CUTS)
        table_confinements = {mask for mask, _ in common_masks}
        table_confinements.add(_union(masks[r] for r in chosen))
        for mask in table_confinements:
            confined = [literal for r, literal in chosen.items() if masks[r] & ~mask == 0]
            tables = sum(instance.capacity[slot] for slot in _slot_indices(mask))
            _add_at_most(model, confined, tables)
        if at_least:
            model.add(cp_model.LinearExpr.sum(list(chosen.values())) >= at_least)
        model.maximize(
            cp_model.LinearExpr.weighted_sum(list(chosen.values()), list(coefficients.values()))
        )
        solver, self.status = self.solve(model, time_limit_s)
        if self.status not in ("OPTIMAL", "FEASIBLE"):
            return None
        values = solver.response_proto.solution
        bound = _objective_bound(solver)
        if bound is None:
            return None
        return {r for r, literal in chosen.items() if values[literal.index]}, bound

    def solve_slots(self, free: set[int] | None, time_limit_s: float) -> bool:
        """Stage 4: one boolean per request and feasible slot, for the `free` requests (all
        when None); the others keep their slots. True if the schedule improved."""
        instance, hint = self.instance, self.best_slots
        free_requests = range(instance.request_count) if free is None else sorted(free)
        busy = [set[int]() for _ in instance.limit]
        meetings_of = [0] * len(instance.limit)
        meetings_in_slot = [0] * len(instance.capacity)
        if free is not None:
            for r, slot in enumerate(hint):
                if slot is not None and r not in free:
                    meetings_in_slot[slot] += 1
                    for person in instance.people[r]:
                        busy[person].add(slot)
                        meetings_of[person] += 1
        model = cp_model.CpModel()
        choice: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
        by_person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        by_person: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        by_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        objective_vars: list[cp_model.IntVar] = []
        objective_coefficients: list[int] = []
        for r in free_requests:
            first, second = instance.people[r]
            options = [
                (slot, model.new_bool_var(""))
                for slot in instance.feasible[r]
                if slot not in busy[first]
                and slot not in busy[second]
                and meetings_in_slot[slot] < instance.capacity[slot]
            ]
            choice[r] = options
            _add_at_most(model, [var for _, var in options], 1)
            for slot, var in options:
                by_slot[slot].append(var)
                for person in (first, second):
                    by_person_slot[person, slot].append(var)
                    by_person[person].append(var)
                objective_vars.append(var)
                objective_coefficients.append(self.weights.coefficient(instance, r, slot))
                model.add_hint(var, hint[r] == slot)
        for same_time in by_person_slot.values():
            _add_at_most(model, same_time, 1)
        for person, meetings in by_person.items():
            _add_at_most(model, meetings, instance.limit[person] - meetings_of[person])
        for slot, meetings in by_slot.items():
            _add_at_most(model, meetings, instance.capacity[slot] - meetings_in_slot[slot])
        model.maximize(cp_model.LinearExpr.weighted_sum(objective_vars, objective_coefficients))
        solver, status = self.solve(model, time_limit_s)
        if free is None and status in ("OPTIMAL", "FEASIBLE"):
            # Only the whole problem's bound is a bound on every schedule.
            self.tighten(_objective_bound(solver))
        if status not in ("OPTIMAL", "FEASIBLE"):
            return False
        values = solver.response_proto.solution
        slot_of = list(hint)
        for r, options in choice.items():
            slot_of[r] = None
            for slot, var in options:
                if values[var.index]:
                    slot_of[r] = slot
        return self.consider(slot_of)


def _objective_bound(solver: cp_model.CpSolver) -> int | None:
    bound = solver.best_objective_bound
    # The epsilon absorbs the float representation of an integer bound.
    return math.floor(bound + 1e-6) if math.isfinite(bound) else None


def _add_at_most(model: cp_model.CpModel, literals: list[cp_model.IntVar], most: int) -> None:
    if len(literals) <= most:
        return
    if most <= 0:
        for literal in literals:
            model.add(literal == 0)
    elif most == 1:
        model.add_at_most_one(literals)
    else:
        model.add(cp_model.LinearExpr.sum(literals) <= most)


def _union(masks: Iterable[int]) -> int:
    union = 0
    for mask in masks:
        union |= mask
    return union


def _slot_indices(mask: int) -> list[int]:
    return [slot for slot in range(mask.bit_length()) if mask >> slot & 1]


def _neighbourhood(
    instance: _Instance, slot_of: Sequence[int | None], selected: set[int], hops: int
) -> set[int] | None:
    """The requests around the selected ones the schedule misses (unscheduled, or announced
    and moved although they could stay): every request of their people, widened `hops`
    times. None when that is (nearly) the whole problem."""
    missed = {
        r
        for r in selected
        if slot_of[r] is None or (instance.can_keep(r) and not instance.keeps_slot(r, slot_of[r]))
    }
    if not missed:
        return None
    free = missed
    for _ in range(hops):
        people = {person for r in free for person in instance.people[r]}
        free = {
            r for person in people for r in instance.requests_of[person] if instance.feasible[r]
        }
    schedulable = sum(1 for options in instance.feasible if options)
    return None if len(free) >= _WHOLE_PROBLEM_SHARE * schedulable else free


def _slots_by_matching(instance: _Instance, selected: Sequence[int]) -> list[int | None]:
    """Slots for the chosen requests: announced meetings stay put, then slot after slot a
    greedy matching that serves first the people with most meetings left per free slot.

    Filling each slot as a matching, most urgent people first, is the classic edge-colouring
    heuristic; it keeps every slot's tables busy instead of piling meetings into early slots.
    """
    slot_of: list[int | None] = [None] * instance.request_count
    occupancy = _Occupancy(instance)
    rank = {r: position for position, r in enumerate(instance.greedy_order)}
    waiting: list[int] = []
    for r in sorted(selected, key=rank.__getitem__):
        announced = instance.previous_slot[r]
        if announced in instance.feasible[r] and occupancy.fits(r, announced):
            occupancy.place(r, announced)
            slot_of[r] = announced
        else:
            waiting.append(r)
    meetings_left = [0] * len(instance.limit)
    for r in waiting:
        for person in instance.people[r]:
            meetings_left[person] += 1
    open_slots = sorted(
        (slot for slot, tables in enumerate(instance.capacity) if tables > 0),
        key=lambda slot: sum(1 for r in waiting if instance.feasible_mask[r] >> slot & 1),
    )
    for position, slot in enumerate(open_slots):
        later = open_slots[position:]
        free_slots_left = [
            sum(
                1
                for s in later
                if s in instance.available[person] and not occupancy.busy[person][s]
            )
            for person in range(len(instance.limit))
        ]
        urgency = [
            left / max(1, free) for left, free in zip(meetings_left, free_slots_left, strict=True)
        ]
        candidates = [r for r in waiting if instance.feasible_mask[r] >> slot & 1]
        candidates.sort(
            key=lambda r: (
                -sum(urgency[person] for person in instance.people[r]),
                sum(1 for s in later if instance.feasible_mask[r] >> s & 1),
                rank[r],
            )
        )
        for r in candidates:
            if occupancy.meetings_in_slot[slot] >= instance.capacity[slot]:
                break
            if occupancy.fits(r, slot):
                occupancy.place(r, slot)
                slot_of[r] = slot
                for person in instance.people[r]:
                    meetings_left[person] -= 1
        waiting = [r for r in waiting if slot_of[r] is None]
    return slot_of


def _assign_tables(instance: _Instance, slot_of: Sequence[int | None]) -> list[int | None]:
    """Number the tables in each slot, keeping a kept meeting at its announced table."""
    table_of: list[int | None] = [None] * instance.request_count
    taken: list[set[int]] = [set() for _ in instance.capacity]
    for r in instance.greedy_order:
        slot, announced_table = slot_of[r], instance.previous_table[r]
        if (
            instance.keeps_slot(r, slot)
            and isinstance(announced_table, int)
            and slot is not None
            and 1 <= announced_table <= instance.capacity[slot]
            and announced_table not in taken[slot]
        ):
            table_of[r] = announced_table
            taken[slot].add(announced_table)
    next_table = [1] * len(instance.capacity)
    for r in instance.greedy_order:
        slot = slot_of[r]
        if slot is None or table_of[r] is not None:
            continue
        while next_table[slot] in taken[slot]:
            next_table[slot] += 1
        table_of[r] = next_table[slot]
        taken[slot].add(next_table[slot])
    return table_of


def _unscheduled_reason(instance: _Instance, occupancy: _Occupancy, r: int) -> UnscheduledReason:
    if not instance.common[r]:
        return UnscheduledReason.NO_COMMON_SLOT
    if not instance.feasible[r]:
        return UnscheduledReason.NO_ROOM
    first, second = instance.people[r]
    if (
        occupancy.meetings_of[first] >= instance.limit[first]
        or occupancy.meetings_of[second] >= instance.limit[second]
    ):
        return UnscheduledReason.LIMIT_REACHED
    both_free = [
        slot
        for slot in instance.feasible[r]
        if not occupancy.busy[first][slot] and not occupancy.busy[second][slot]
    ]
    return UnscheduledReason.NO_ROOM if both_free else UnscheduledReason.PARTICIPANT_BUSY


def _result(
    instance: _Instance,
    slot_of: Sequence[int | None],
    method: Literal["cp-sat", "greedy"],
    status: str,
    upper_bound: int | None,
    started: float,
) -> ScheduleResult:
    problem = instance.problem
    table_of = _assign_tables(instance, slot_of)
    occupancy = _Occupancy(instance)
    for r, slot in enumerate(slot_of):
        if slot is not None:
            occupancy.place(r, slot)
    assignments: dict[RequestId, Assignment] = {}
    unscheduled: dict[RequestId, UnscheduledReason] = {}
    kept: set[RequestId] = set()
    moved: set[RequestId] = set()
    dropped: set[RequestId] = set()
    for r, request in enumerate(problem.requests):
        slot, table = slot_of[r], table_of[r]
        announced = instance.previous.get(request.id)
        if slot is None or table is None:
            unscheduled[request.id] = _unscheduled_reason(instance, occupancy, r)
            if announced is not None:
                dropped.add(request.id)
            continue
        assignment = Assignment(slot=problem.slots[slot], table=table)
        assignments[request.id] = assignment
        if announced is not None:
            (kept if announced == assignment else moved).add(request.id)
    return ScheduleResult(
        assignments=assignments,
        unscheduled=unscheduled,
        method=method,
        solver_status=status,
        meetings_upper_bound=upper_bound,
        wall_time_s=time.perf_counter() - started,
        announced_kept=frozenset(kept),
        announced_moved=frozenset(moved),
        announced_dropped=frozenset(dropped),
    )
