//! Results as files: the manifest every command writes, a sweep's rows stored as they come
//! (checksummed, resumable), shards merged into one sweep, and the Slurm job array scripts.

pub mod manifest;
pub mod merge;
pub mod slurm;
pub mod store;
