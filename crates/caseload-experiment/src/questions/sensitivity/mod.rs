//! Global sensitivity of KPIs to a scenario's assumptions: the factors and their ranges
//! ([`factor`]), the points run ([`plan`]: the scenario as written, each range's ends one at
//! a time, and Morris trajectories ([`morris`]) or Saltelli rows ([`sobol`])), and the
//! indices computed from the finished rows ([`indices`]), with bootstrap intervals
//! ([`resample`]). The points run as a sweep does (one job, shards, resume), so a sensitivity
//! analysis is stored, merged and resumed by the sweep's machinery.

pub mod factor;
pub mod indices;
pub mod morris;
pub mod plan;
pub mod resample;
pub mod sobol;
