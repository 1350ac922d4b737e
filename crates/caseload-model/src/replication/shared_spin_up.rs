//! Spin-ups shared across runs. A spin-up depends only on its warm configuration (the
//! scenario at its day-0 demand and staffing, without actions, attrition or recruitment) and
//! on the replication's streams, so options, points, orders and candidates that differ only in
//! what the spin-up leaves out (their staffing actions, mostly) start from the same backlog.
//! Each is computed once per process and replication and reused; a reused spin-up is the same
//! value a fresh one would be, so results are the same bytes either way.
//!
//! Memory is bounded by [`MAX_SHARED_CASES`]: once the store holds that many cases, further
//! spin-ups are computed and not kept (the first replications keep being shared, rather than
//! every option evicting what the next one needs).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::config::{ModelConfig, StartingCase};

/// Most starting cases kept across all stored spin-ups: about 48 bytes each, so at most about
/// 100 MB (a London spin-up leaves a few thousand cases; 20 replications keep under 100,000).
pub const MAX_SHARED_CASES: usize = 2_000_000;

/// A spin-up's result: the cases open and waiting at its end, and the events it took.
#[derive(Debug, Clone)]
pub(super) struct SpunUp {
    pub(super) backlog: Arc<Vec<StartingCase>>,
    pub(super) events: u64,
}

/// The spin-ups of one warm configuration, by (master seed, replication).
struct Warm {
    config: ModelConfig,
    runs: HashMap<(u64, u64), SpunUp>,
}

struct Store {
    warms: Vec<Warm>,
    cases: usize,
    hits: u64,
}

static STORE: Mutex<Store> = Mutex::new(Store {
    warms: Vec::new(),
    cases: 0,
    hits: 0,
});

fn store() -> std::sync::MutexGuard<'static, Store> {
    // The store is only ever extended whole under the lock: a panic elsewhere leaves it valid.
    STORE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The stored spin-up of `warm` for (`seed`, `replication`), if any.
pub(super) fn find(warm: &ModelConfig, seed: u64, replication: u64) -> Option<SpunUp> {
    let mut store = store();
    let found = store
        .warms
        .iter()
        .find(|w| w.config == *warm)?
        .runs
        .get(&(seed, replication))
        .cloned();
    if found.is_some() {
        store.hits += 1;
    }
    found
}

/// Keeps `spun` as the spin-up of `warm` for (`seed`, `replication`), unless the store is full
/// or already has it (another thread computed it at the same time: the same value).
pub(super) fn keep(warm: &ModelConfig, seed: u64, replication: u64, spun: &SpunUp) {
    let mut store = store();
    let cases = spun.backlog.len();
    if store.cases + cases > MAX_SHARED_CASES {
        return;
    }
    let index = match store.warms.iter().position(|w| w.config == *warm) {
        Some(i) => i,
        None => {
            store.warms.push(Warm {
                config: warm.clone(),
                runs: HashMap::new(),
            });
            store.warms.len() - 1
        }
    };
    if store.warms[index]
        .runs
        .insert((seed, replication), spun.clone())
        .is_none()
    {
        store.cases += cases;
    }
}

/// Spin-ups reused so far in this process (for tests and benches).
pub fn shared_spin_up_hits() -> u64 {
    store().hits
}
