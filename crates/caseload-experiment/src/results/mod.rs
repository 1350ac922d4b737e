//! Results as files: one atomic write for every file, the staged and locked output folder,
//! the manifest every command writes, a sweep's rows stored as they come
//! (checksummed, resumable), shards merged into one sweep, and the Slurm job array scripts.

pub mod atomic;
pub mod folder;
pub mod manifest;
pub mod merge;
pub mod slurm;
pub mod store;
