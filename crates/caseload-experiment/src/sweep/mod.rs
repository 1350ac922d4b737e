//! Parameter sweeps: the (point, replication) pairs of a grid of designs run as one parallel
//! job, optionally a deterministic slice of them (a shard), with each point's replications
//! handed back as soon as they are all done so a caller can save them and resume later.
//!
//! Replication `r` of every point uses the random streams of (`seed`, `r`): points differ by
//! their parameters only (common random numbers), and a pair's result does not depend on which
//! shard or thread ran it.

use std::ops::Range;
use std::sync::mpsc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::design::Design;
use crate::measure::run::run_one;

/// A contiguous run of replications of one sweep point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Index of the point in the grid.
    pub point: usize,
    /// Replication numbers.
    pub replications: Range<u32>,
}

pub mod grid;

pub use grid::{Axis, AxisValue, Grid, GridError};

/// Slice `index` (0-based) of `count` equal slices of a sweep's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shard {
    /// This slice, `0..count`.
    pub index: u32,
    /// Slices in all, at least 1.
    pub count: u32,
}

/// A `--shard` that is not `K/N` with `0 <= K < N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "--shard {0}: expected K/N with N >= 1 and 0 <= K < N (K counts from 0, like \
     $SLURM_ARRAY_TASK_ID)"
)]
pub struct ShardError(pub String);

impl std::str::FromStr for Shard {
    type Err = ShardError;

    /// Parses `K/N`, K counting from 0 like `$SLURM_ARRAY_TASK_ID`.
    fn from_str(text: &str) -> Result<Self, ShardError> {
        let parsed = text.split_once('/').and_then(|(k, n)| {
            Some(Shard {
                index: k.trim().parse().ok()?,
                count: n.trim().parse().ok()?,
            })
        });
        match parsed {
            Some(s) if s.count >= 1 && s.index < s.count => Ok(s),
            _ => Err(ShardError(text.to_string())),
        }
    }
}

impl Shard {
    /// The whole sweep as one slice.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// This shard's work among `points` points of `replications` replications each. The pairs
    /// are ordered point by point, then by replication, and cut into `count` contiguous runs of
    /// sizes differing by at most one; a run is returned as one block per point it touches.
    pub fn blocks(&self, points: usize, replications: u32) -> Vec<Block> {
        let reps = u128::from(replications);
        let total = points as u128 * reps;
        let (k, n) = (u128::from(self.index), u128::from(self.count.max(1)));
        let (start, end) = (total * k / n, total * (k + 1) / n);
        let mut blocks = Vec::new();
        let mut at = start;
        while at < end {
            let point = at / reps;
            let block_end = ((point + 1) * reps).min(end);
            // Both ends are below `replications` (a u32) after taking the point's offset off.
            let first = (at - point * reps) as u32;
            let last = (block_end - point * reps) as u32;
            blocks.push(Block {
                point: point as usize,
                replications: first..last,
            });
            at = block_end;
        }
        blocks
    }
}

/// A sweep stopped: a point's configuration is invalid, or the caller's handler failed.
#[derive(Debug, thiserror::Error)]
pub enum SweepError<E> {
    /// Point `point` could not be run.
    #[error("sweep point {point}: {source}")]
    Config {
        /// The point.
        point: usize,
        /// Why.
        source: crate::RunError,
    },
    /// The block handler returned an error.
    #[error(transparent)]
    Handler(E),
}

/// Runs the replications of `blocks` (points index `designs`) in parallel as one job. When
/// every replication of a block is done, `on_block` gets the block and its replications' KPI
/// vectors in replication order, on the calling thread; blocks may finish in any order. An
/// error from `on_block` stops the sweep. `on_done` is called once per replication, from any
/// thread.
pub fn sweep<E>(
    designs: &[Design],
    seed: u64,
    blocks: &[Block],
    on_done: &(dyn Fn() + Sync),
    mut on_block: impl FnMut(&Block, Vec<Vec<f64>>) -> Result<(), E>,
) -> Result<(), SweepError<E>> {
    for block in blocks {
        let design = &designs[block.point];
        design
            .check_limits(&design.limits)
            .map_err(|source| SweepError::Config {
                point: block.point,
                source: source.into(),
            })?;
    }
    let pairs: Vec<(usize, u32)> = blocks
        .iter()
        .enumerate()
        .flat_map(|(b, block)| block.replications.clone().map(move |r| (b, r)))
        .collect();
    let (sender, receiver) = mpsc::channel();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            // Stops early once the receiver is gone (an error on the calling thread).
            let _ = pairs
                .par_iter()
                .try_for_each_with(sender, |sender, &(b, r)| {
                    let point = blocks[b].point;
                    let result = run_one(&designs[point], seed, r).map(|x| x.kpis);
                    on_done();
                    sender.send((b, r, result)).map_err(|_| ())
                });
        });
        let mut pending: Vec<Vec<Option<Vec<f64>>>> = blocks
            .iter()
            .map(|block| vec![None; block.replications.len()])
            .collect();
        let mut missing: Vec<usize> = blocks.iter().map(|b| b.replications.len()).collect();
        for (b, r, result) in receiver {
            let block = &blocks[b];
            let kpis = result.map_err(|source| SweepError::Config {
                point: block.point,
                source,
            })?;
            pending[b][(r - block.replications.start) as usize] = Some(kpis);
            missing[b] -= 1;
            if missing[b] == 0 {
                let values = std::mem::take(&mut pending[b])
                    .into_iter()
                    .flatten()
                    .collect();
                on_block(block, values).map_err(SweepError::Handler)?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_from_zero() {
        assert_eq!(
            "0/4".parse::<Shard>().ok(),
            Some(Shard { index: 0, count: 4 })
        );
        assert_eq!(
            "3/4".parse::<Shard>().ok(),
            Some(Shard { index: 3, count: 4 })
        );
        for bad in ["4/4", "1/0", "x/2", "2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_cover_every_pair_once_in_order() {
        for (points, reps, count) in [(7, 5, 3), (1, 10, 4), (3, 1, 5), (4, 3, 1), (0, 3, 2)] {
            let mut all = Vec::new();
            for index in 0..count {
                let blocks = Shard { index, count }.blocks(points, reps);
                let size: usize = blocks.iter().map(|b| b.replications.len()).sum();
                let total = points * reps as usize;
                let even = total / count as usize;
                assert!(size == even || size == even + 1, "{points}x{reps}/{count}");
                for block in blocks {
                    assert!(!block.replications.is_empty());
                    all.extend(block.replications.map(|r| (block.point, r)));
                }
            }
            let expected: Vec<(usize, u32)> = (0..points)
                .flat_map(|p| (0..reps).map(move |r| (p, r)))
                .collect();
            assert_eq!(all, expected);
        }
    }
}
