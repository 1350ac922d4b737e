//! What `caseload slurm` prints.

use std::fmt::Write as _;
use std::path::Path;

/// Tasks shorter than this, seconds, spend more time scheduled than computing.
const MIN_TASK_SECONDS: f64 = 10.0;

/// What `caseload slurm` prints: the array's size, the pairs and time per task at this
/// machine's speed (from `seconds_per_pair`, one replication's time over the task's CPUs), a
/// note when tasks are too short to be worth scheduling, and where the scripts are.
pub fn slurm(
    label: &str,
    points: usize,
    pairs: u64,
    n: u32,
    seconds_per_pair: f64,
    folder: &Path,
) -> String {
    let per_task = pairs as f64 / f64::from(n);
    let seconds = per_task * seconds_per_pair;
    let mut text = format!(
        "{}: {} points, {} (point, replication) pairs in {n} array tasks (about {:.0} pairs \
         each, about {seconds:.0} s per task at this machine's speed)\nscripts in {}: \
         sweep.sbatch, merge.sbatch, submit.sh\n",
        label,
        points,
        pairs,
        per_task,
        folder.display()
    );
    if seconds < MIN_TASK_SECONDS {
        let _ = writeln!(
            text,
            "note: tasks this short spend more time being scheduled than computing; fewer \
             tasks (--tasks) make coarser shards"
        );
    }
    text
}
