//! Simulation time.
//!
//! Time is a plain `f64` counting days since the scenario's start: fractional days are hours
//! and minutes (0.5 is midday of day 0). Calendar dates exist only in the scenario and report
//! layers, which convert once at their boundary.

/// Simulation time, days since the start of the run.
pub type SimTime = f64;

/// Days in a (mean Gregorian) year, for converting annual rates to daily ones.
pub const DAYS_PER_YEAR: f64 = 365.2425;

/// Days in a week.
pub const DAYS_PER_WEEK: f64 = 7.0;
