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
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Literal, TypeAlias

# Ids are whatever the caller uses (database keys, UUIDs, strings); they are only compared
# and hashed, never sorted, so the input order decides every tie.
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
    tables: int | Mapping[SlotId, int]
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

    `meetings_upper_bound` is a proven upper bound on the number of meetings any schedule can
    have (from CP-SAT's best bound when it ran, else a counting bound); it equals
    `meeting_count` when the schedule is proven optimal. The `announced_*` sets sort the
    requests of `previous` that are still in the problem: kept (same slot and table), moved
    (another slot or table) and dropped (no meeting now): the last two need a notification.
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
    previous: Mapping[RequestId, Assignment] | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
    num_workers: int = DEFAULT_NUM_WORKERS,
    random_seed: int = 0,
) -> ScheduleResult:
    """Schedule as many meetings as possible with CP-SAT, starting from the greedy schedule.

    `previous` holds the announced meetings (request id -> assignment); requests no longer in
    the problem are ignored. `time_limit_s` bounds the CP-SAT search (building the model adds
    about a second for thousands of requests). If CP-SAT fails or finds no schedule in time,
    the greedy schedule is returned with method "greedy" and the solver's status.
    """
    if not time_limit_s > 0:
        raise ValueError(f"time_limit_s must be positive, got {time_limit_s!r}")
    if num_workers < 1:
        raise ValueError(f"num_workers must be at least 1, got {num_workers!r}")
    started = time.perf_counter()
    instance = _Instance(problem, previous or {})
    greedy_slots = _greedy_slots(instance)
    weights = _ObjectiveWeights.for_instance(instance)
    try:
        outcome = _solve_cp_sat(
            instance,
            weights,
            hint=greedy_slots,
            time_limit_s=time_limit_s,
            num_workers=num_workers,
            random_seed=random_seed,
        )
    except Exception as error:  # a solver failure must never block the event
        outcome = _CpSatOutcome(status=f"ERROR: {type(error).__name__}: {error}")
    upper_bound = instance.counting_upper_bound
    if outcome.meetings_upper_bound is not None:
        upper_bound = min(upper_bound, outcome.meetings_upper_bound)
    if outcome.slot_of is None:
        return _result(instance, greedy_slots, "greedy", outcome.status, upper_bound, started)
    solver_slots = _fill_free_places(instance, outcome.slot_of)
    # The greedy schedule is CP-SAT's hint, so CP-SAT should never end below it; comparing
    # guards against a hint the solver could not use.
    if weights.value(instance, solver_slots) < weights.value(instance, greedy_slots):
        return _result(instance, greedy_slots, "greedy", outcome.status, upper_bound, started)
    return _result(instance, solver_slots, "cp-sat", outcome.status, upper_bound, started)


def schedule_meetings_greedy(
    problem: SchedulingProblem,
    *,
    previous: Mapping[RequestId, Assignment] | None = None,
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
    result: ScheduleResult | Mapping[RequestId, Assignment],
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

    def __init__(self, problem: SchedulingProblem, previous: Mapping[RequestId, Assignment]):
        self.problem = problem
        self.previous = previous
        slot_index = {slot: index for index, slot in enumerate(problem.slots)}
        person_index = {person.id: index for index, person in enumerate(problem.participants)}
        self.capacity = [problem.tables_in(slot) for slot in problem.slots]
        self.limit = [person.meeting_limit for person in problem.participants]
        available = [
            {slot_index[slot] for slot in person.available_slots} for person in problem.participants
        ]
        self.people: list[tuple[int, int]] = []
        self.common: list[list[int]] = []  # slots where both are present, in event order
        self.feasible: list[list[int]] = []  # ... and that have at least one table
        self.previous_slot: list[int | None] = []
        self.previous_table: list[int | None] = []
        for request in problem.requests:
            first, second = person_index[request.requester], person_index[request.invitee]
            self.people.append((first, second))
            common = sorted(available[first] & available[second])
            self.common.append(common)
            self.feasible.append([slot for slot in common if self.capacity[slot] > 0])
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
    instance: _Instance, slot_of: list[int | None], occupancy: _Occupancy | None = None
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
        keepable = sum(1 for r in schedulable if instance.previous_slot[r] in instance.feasible[r])
        kept_span = per_kept * min(keepable, most_meetings)
        return cls(per_meeting=kept_span + preference_span + 1, per_kept=per_kept)

    def coefficient(self, instance: _Instance, r: int, slot: int) -> int:
        kept = self.per_kept if instance.keeps_slot(r, slot) else 0
        return self.per_meeting + kept + instance.preference[r]

    def value(self, instance: _Instance, slot_of: Sequence[int | None]) -> int:
        return sum(
            self.coefficient(instance, r, slot)
            for r, slot in enumerate(slot_of)
            if slot is not None
        )


@dataclass(frozen=True)
class _CpSatOutcome:
    status: str
    slot_of: list[int | None] | None = None
    meetings_upper_bound: int | None = None


def _solve_cp_sat(
    instance: _Instance,
    weights: _ObjectiveWeights,
    *,
    hint: Sequence[int | None],
    time_limit_s: float,
    num_workers: int,
    random_seed: int,
) -> _CpSatOutcome:
    # Imported here so that importing the module (and the greedy) costs nothing.
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    choice: list[list[tuple[int, cp_model.IntVar]]] = []
    by_person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    by_person: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    requests_of: dict[int, int] = defaultdict(int)
    by_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    objective_vars: list[cp_model.IntVar] = []
    objective_coefficients: list[int] = []
    for r in range(instance.request_count):
        options = [(slot, model.new_bool_var("")) for slot in instance.feasible[r]]
        choice.append(options)
        if options:
            for person in instance.people[r]:
                requests_of[person] += 1
        if len(options) > 1:
            model.add_at_most_one(var for _, var in options)
        for slot, var in options:
            by_slot[slot].append(var)
            for person in instance.people[r]:
                by_person_slot[person, slot].append(var)
                by_person[person].append(var)
            objective_vars.append(var)
            objective_coefficients.append(weights.coefficient(instance, r, slot))
            model.add_hint(var, hint[r] == slot)
    for same_time in by_person_slot.values():
        if len(same_time) > 1:
            model.add_at_most_one(same_time)
    for person, meetings in by_person.items():
        # A person meets at most once per request and once per slot; the limit needs a
        # constraint only when both could exceed it.
        most_possible = min(requests_of[person], len(instance.capacity))
        if most_possible > instance.limit[person]:
            model.add(cp_model.LinearExpr.sum(meetings) <= instance.limit[person])
    for slot, meetings in by_slot.items():
        if len(meetings) > instance.capacity[slot]:
            model.add(cp_model.LinearExpr.sum(meetings) <= instance.capacity[slot])
    model.maximize(cp_model.LinearExpr.weighted_sum(objective_vars, objective_coefficients))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = num_workers
    solver.parameters.random_seed = random_seed
    status = solver.solve(model)
    status_name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _CpSatOutcome(status=status_name)
    # objective = per_meeting * meetings + (non-negative rest) <= bound, so the bound caps the
    # number of meetings; the epsilon absorbs the float representation of an integer bound.
    bound = solver.best_objective_bound
    meetings_upper_bound = (
        math.floor(bound + 1e-6) // weights.per_meeting if math.isfinite(bound) else None
    )
    values = solver.response_proto.solution
    slot_of: list[int | None] = [None] * instance.request_count
    for r, options in enumerate(choice):
        for slot, var in options:
            if values[var.index]:
                slot_of[r] = slot
    return _CpSatOutcome(
        status=status_name, slot_of=slot_of, meetings_upper_bound=meetings_upper_bound
    )


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
