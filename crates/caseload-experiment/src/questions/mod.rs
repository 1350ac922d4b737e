//! The questions asked of designs: a comparison of options, targets and the search for the
//! least lever value meeting one, the judgement of a candidate against a target, the frontier
//! of temporary staffing, the selection of the best option, the attribution of a package's
//! effect to its actions, the back-test against observed figures, the sensitivity of KPIs to the
//! assumptions, and the calibration of chosen values to observed figures.

pub mod attribution;
pub mod backtest;
pub mod calibration;
pub mod compare;
pub mod cost_effect;
pub mod frontier;
pub mod judge;
pub mod search;
pub mod select;
pub mod sensitivity;
