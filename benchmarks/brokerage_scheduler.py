"""Brokerage meeting scheduler: greedy against CP-SAT on a synthetic one-day B2B event.

Builds an event (default: 400 participants, 3,000 accepted requests, 16 slots of 30 minutes,
100 tables per slot), schedules it with the greedy and with CP-SAT, prints both counts, CP-SAT's
bound, the LP relaxation bound (GLOP) and the times; then applies late changes (cancellations,
new requests, people leaving early) and re-runs with the announced schedule as `previous`.

    .venv/bin/python benchmarks/brokerage_scheduler.py [--seed 7] [--time-limit 30] [--workers 2]
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import replace

from parkbridge.events.scheduling import (
    MeetingRequest,
    Participant,
    ScheduleResult,
    SchedulingProblem,
    schedule_meetings,
    schedule_meetings_greedy,
    validate,
)


def synthetic_event(
    rng: random.Random, *, participants: int, requests: int, slots: int, tables: int
) -> SchedulingProblem:
    """A day of two halves; most people stay all day, some come for one half, a few have a
    two-slot gap; limits 6-12; popularity log-normal, so some people are asked a lot."""
    slot_ids = [f"slot-{number:02d}" for number in range(slots)]
    morning, afternoon = slot_ids[: slots // 2], slot_ids[slots // 2 :]
    people: list[Participant] = []
    for number in range(participants):
        presence = rng.random()
        if presence < 0.70:
            available = set(slot_ids)
        elif presence < 0.82:
            available = set(morning)
        elif presence < 0.94:
            available = set(afternoon)
        else:
            gap = rng.randrange(slots - 1)
            available = set(slot_ids) - {slot_ids[gap], slot_ids[gap + 1]}
        people.append(Participant(f"p{number}", frozenset(available), rng.randint(6, 12)))
    popularity = [rng.lognormvariate(0, 1.0) for _ in people]
    activity = [rng.lognormvariate(0, 0.5) for _ in people]
    pairs: set[frozenset[object]] = set()
    meeting_requests: list[MeetingRequest] = []
    while len(meeting_requests) < requests:
        requester = rng.choices(people, weights=activity)[0].id
        invitee = rng.choices(people, weights=popularity)[0].id
        pair = frozenset((requester, invitee))
        if requester == invitee or pair in pairs:
            continue
        pairs.add(pair)
        meeting_requests.append(
            MeetingRequest(
                id=f"r{len(meeting_requests)}",
                requester=requester,
                invitee=invitee,
                priority=rng.choices([0, 1, 2], weights=[6, 3, 1])[0],
                mutual=rng.random() < 0.2,
            )
        )
    return SchedulingProblem(
        slots=slot_ids, tables=tables, participants=people, requests=meeting_requests
    )


def late_changes(
    rng: random.Random,
    problem: SchedulingProblem,
    announced: ScheduleResult,
    *,
    cancelled: int,
    added: int,
    leaving_early: int,
) -> SchedulingProblem:
    """Cancel some scheduled requests, accept new ones, and let some all-day people leave at
    the end of the morning."""
    cancelled_ids = set(rng.sample(sorted(announced.assignments, key=str), cancelled))
    requests = [request for request in problem.requests if request.id not in cancelled_ids]
    pairs = {frozenset((request.requester, request.invitee)) for request in problem.requests}
    people = list(problem.participants)
    number = len(problem.requests)
    while len(requests) < len(problem.requests) - cancelled + added:
        first, second = rng.sample(people, 2)
        pair = frozenset((first.id, second.id))
        if pair in pairs:
            continue
        pairs.add(pair)
        requests.append(
            MeetingRequest(f"r{number}", first.id, second.id, rng.choice([0, 1, 2]), False)
        )
        number += 1
    morning = set(problem.slots[: len(problem.slots) // 2])
    all_day = [i for i, p in enumerate(people) if len(p.available_slots) == len(problem.slots)]
    for index in rng.sample(all_day, leaving_early):
        people[index] = replace(people[index], available_slots=frozenset(morning))
    return SchedulingProblem(
        slots=problem.slots, tables=problem.tables, participants=people, requests=requests
    )


def lp_relaxation_bound(problem: SchedulingProblem) -> float | None:
    """The most meetings the LP relaxation (GLOP) allows: a bound on any schedule."""
    from ortools.linear_solver import pywraplp

    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    by_person_slot: dict[tuple[object, object], list[pywraplp.Variable]] = {}
    by_person: dict[object, list[pywraplp.Variable]] = {}
    by_slot: dict[object, list[pywraplp.Variable]] = {}
    every: list[pywraplp.Variable] = []
    for request in problem.requests:
        usable = [slot for slot in problem.common_slots(request) if problem.tables_in(slot) > 0]
        if not usable:
            continue
        options = [solver.NumVar(0.0, 1.0, "") for _ in usable]
        solver.Add(solver.Sum(options) <= 1)
        for slot, var in zip(usable, options, strict=True):
            by_slot.setdefault(slot, []).append(var)
            for person in (request.requester, request.invitee):
                by_person_slot.setdefault((person, slot), []).append(var)
                by_person.setdefault(person, []).append(var)
        every.extend(options)
    for same_time in by_person_slot.values():
        if len(same_time) > 1:
            solver.Add(solver.Sum(same_time) <= 1)
    for person, meetings in by_person.items():
        solver.Add(solver.Sum(meetings) <= problem.participant_by_id[person].meeting_limit)
    for slot, meetings in by_slot.items():
        solver.Add(solver.Sum(meetings) <= problem.tables_in(slot))
    solver.Maximize(solver.Sum(every))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return float(solver.Objective().Value())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--slots", type=int, default=16)
    parser.add_argument("--tables", type=int, default=100, help="tables in every slot")
    parser.add_argument("--time-limit", type=float, default=30.0, help="CP-SAT seconds per run")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT search workers")
    parser.add_argument("--cancelled", type=int, default=50)
    parser.add_argument("--added", type=int, default=50)
    parser.add_argument("--leaving-early", type=int, default=5)
    parser.add_argument("--no-lp", action="store_true", help="skip the LP relaxation bound")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    problem = synthetic_event(
        rng,
        participants=args.participants,
        requests=args.requests,
        slots=args.slots,
        tables=args.tables,
    )
    people = problem.participants
    whole_day = sum(1 for p in people if len(p.available_slots) == len(problem.slots))
    print(
        f"event: {len(people)} participants ({whole_day} all day), {len(problem.requests)} "
        f"requests ({sum(r.mutual for r in problem.requests)} mutual), {len(problem.slots)} "
        f"slots x {args.tables} tables, limits sum {sum(p.meeting_limit for p in people)}; "
        f"seed {args.seed}, time limit {args.time_limit:g} s, {args.workers} workers"
    )
    greedy = schedule_meetings_greedy(problem)
    solved = schedule_meetings(problem, time_limit_s=args.time_limit, num_workers=args.workers)
    started = time.perf_counter()
    lp_bound = None if args.no_lp else lp_relaxation_bound(problem)
    lp_seconds = time.perf_counter() - started
    for result in (greedy, solved):
        problems = validate(problem, result)
        assert not problems, problems[:5]
    bound = solved.meetings_upper_bound
    best_bound = min(b for b in (bound, lp_bound) if b is not None)
    gap = 100.0 * (best_bound - solved.meeting_count) / best_bound if best_bound else 0.0
    lp_text = "skipped" if lp_bound is None else f"{lp_bound:.1f} ({lp_seconds:.1f} s)"
    print(f"greedy:  {greedy.meeting_count} meetings in {greedy.wall_time_s:.2f} s")
    print(
        f"CP-SAT:  {solved.meeting_count} meetings in {solved.wall_time_s:.1f} s "
        f"(method {solved.method}, status {solved.solver_status}); "
        f"{solved.meeting_count - greedy.meeting_count:+d} against greedy"
    )
    print(f"bounds:  CP-SAT {bound}, LP relaxation {lp_text}; gap to the best bound {gap:.2f} %")
    reasons: dict[str, int] = {}
    for reason in solved.unscheduled.values():
        reasons[reason.value] = reasons.get(reason.value, 0) + 1
    print(f"unscheduled by reason: {dict(sorted(reasons.items()))}")

    changed = late_changes(
        rng,
        problem,
        solved,
        cancelled=args.cancelled,
        added=args.added,
        leaving_early=args.leaving_early,
    )
    previous = solved.assignments
    rerun = schedule_meetings(
        changed, previous=previous, time_limit_s=args.time_limit, num_workers=args.workers
    )
    assert not validate(changed, rerun)
    still_requested = len(rerun.announced_kept | rerun.announced_moved | rerun.announced_dropped)
    print(
        f"late changes: {args.cancelled} cancelled, {args.added} new requests, "
        f"{args.leaving_early} people leave at noon; {still_requested} announced meetings remain"
    )
    print(
        f"re-run:  {rerun.meeting_count} meetings in {rerun.wall_time_s:.1f} s "
        f"(status {rerun.solver_status}, bound {rerun.meetings_upper_bound}); announced: "
        f"{len(rerun.announced_kept)} kept, {len(rerun.announced_moved)} moved, "
        f"{len(rerun.announced_dropped)} dropped"
    )
    greedy_rerun = schedule_meetings_greedy(changed, previous=previous)
    print(
        f"greedy re-run: {greedy_rerun.meeting_count} meetings; announced: "
        f"{len(greedy_rerun.announced_kept)} kept, {len(greedy_rerun.announced_moved)} moved, "
        f"{len(greedy_rerun.announced_dropped)} dropped"
    )


if __name__ == "__main__":
    main()
