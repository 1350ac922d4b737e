//! # caseload-des
//!
//! A small, fast discrete-event simulation engine. It knows nothing of the domain it runs:
//! a model is a type implementing [`Model`], whose events are an inline enum.
//!
//! - [`Simulation`]: the clock (days, `f64`), the event calendar and the run loop. Events at
//!   the same time fire in scheduling order, so a run is a pure function of its inputs.
//! - [`Calendar`]: the priority queue of pending events, with O(1) cancel.
//! - [`RngStreams`]: one named, independently seeded random stream per purpose, so that
//!   scenarios differing only in what they do with the numbers see the same numbers.
//! - [`Dist`]: validated sampling distributions stated by mean and coefficient of variation.
//! - [`theory`]: closed-form queueing results; [`mod@reference`]: a multi-server queue built on the
//!   engine and checked against them.
//!
//! ```
//! use caseload_des::{Model, RunLimits, Simulation};
//!
//! /// Counts ticks of a clock that ticks every half day.
//! struct Ticker { ticks: u32 }
//!
//! impl Model for Ticker {
//!     type Event = ();
//!     fn handle(&mut self, sim: &mut Simulation<()>, _: ()) {
//!         self.ticks += 1;
//!         sim.schedule_in(0.5, ());
//!     }
//! }
//!
//! let mut sim = Simulation::new();
//! sim.schedule(0.0, ());
//! let mut ticker = Ticker { ticks: 0 };
//! sim.run(&mut ticker, RunLimits::until(10.0));
//! // Ticks at 0, 0.5, ..., 9.5; the one at 10.0 is left pending.
//! assert_eq!(ticker.ticks, 20);
//! assert_eq!(sim.now(), 10.0);
//! ```

mod calendar;
mod dist;
pub mod reference;
mod rng;
mod simulation;
pub mod theory;
mod time;

pub use calendar::{Calendar, EventKey};
pub use dist::{Dist, DistError, MAX_DRAW, MAX_PARAMETER, short};
pub use rng::{RngStreams, StreamId, StreamRng};
pub use simulation::{Model, RunLimits, Simulation, StopReason};
pub use time::{DAYS_PER_WEEK, DAYS_PER_YEAR, SimTime};
