//! The model's tests, in one test binary: each module checks one part of the model against
//! queueing theory or a hand-worked example. The map:

/// Builders of teams, case types and configurations, and a recording observer.
mod common;

/// Each staffing action's meaning in numbers, with and without it.
mod actions;
/// What investing in people buys: productivity, evidence to charge, training, specialists.
mod benefits;
/// Uncertain demand: one draw of the rate per replication, on its own stream.
mod demand_uncertainty;
/// What heavy caseloads cost, against a hand-worked example.
mod load_cost;
/// The model reduced to textbook queues (M/M/c, Erlang A, priorities, PS), within 99 % intervals.
mod reductions;
/// Timeliness standards on a stage, against a hand-worked example.
mod standards;
/// How a run starts: the starting backlog, open cases with officers, the spin-up.
mod starting_state;
/// Attachments and agency staff bounded to case types, stages and their end.
mod temporary_staff;
/// Dated training programmes, against a hand-worked example.
mod training;
/// Triage: a screen after which a share of referrals close.
mod triage;
/// Waits that change length on dated steps.
mod waits;
/// The waiting cases weighed by work and harm, and counted by priority and case type.
mod weighed;
