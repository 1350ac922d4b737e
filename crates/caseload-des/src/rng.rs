//! Named random-number streams.
//!
//! Each random purpose in a model (arrivals of one referral type, effort, attrition, ...) draws
//! from its own stream. The generator for stream `S` of replication `R` under master seed `M` is
//! seeded from `(M, R, S)` alone, so adding a stream, a replication or a thread never shifts the
//! numbers any other stream sees. Two runs that differ only in what they do with the numbers
//! (say, staffing) therefore see the same arrivals: common random numbers.
//!
//! The generator is `Xoshiro256PlusPlus`, named rather than `StdRng` because its output is
//! specified and stable across rand versions, which byte-identical results require.

use rand::SeedableRng;
pub use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator every stream uses.
pub type StreamRng = Xoshiro256PlusPlus;

/// Identifies one random stream within a replication.
///
/// Build it from a stable name (`StreamId::named("arrivals")`), optionally refined by an index
/// (`.index(i)`, e.g. one stream per referral type). Names are hashed with FNV-1a, which is fixed
/// by specification, so the same name gives the same stream in every build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StreamId(u64);

impl StreamId {
    /// The stream with this name.
    pub const fn named(name: &str) -> Self {
        const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
        let bytes = name.as_bytes();
        let mut hash = FNV_OFFSET;
        let mut i = 0;
        while i < bytes.len() {
            hash ^= bytes[i] as u64;
            hash = hash.wrapping_mul(FNV_PRIME);
            i += 1;
        }
        StreamId(hash)
    }

    /// The `index`th sub-stream of this stream (e.g. one per referral type or team).
    pub const fn index(self, index: u64) -> Self {
        StreamId(mix(self.0 ^ mix(index.wrapping_add(0x6a09_e667_f3bc_c909))))
    }

    /// The raw 64-bit identifier.
    pub const fn get(self) -> u64 {
        self.0
    }
}

/// The streams of one replication: a generator per `StreamId`, seeded from
/// (master seed, replication index, stream id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RngStreams {
    master_seed: u64,
    replication: u64,
}

impl RngStreams {
    /// The streams of replication `replication` (0-based) under `master_seed`.
    pub const fn new(master_seed: u64, replication: u64) -> Self {
        Self {
            master_seed,
            replication,
        }
    }

    /// The master seed.
    pub const fn master_seed(&self) -> u64 {
        self.master_seed
    }

    /// The replication index.
    pub const fn replication(&self) -> u64 {
        self.replication
    }

    /// A fresh generator for `stream`, always the same for the same (seed, replication, stream).
    pub fn stream(&self, stream: StreamId) -> StreamRng {
        let mut state = mix(self.master_seed ^ 0x243f_6a88_85a3_08d3);
        state = mix(state ^ mix(self.replication.wrapping_add(0x1319_8a2e_0370_7344)));
        state = mix(state ^ mix(stream.0.wrapping_add(0xa409_3822_299f_31d0)));
        let mut seed = [0u8; 32];
        for chunk in seed.chunks_exact_mut(8) {
            state = state.wrapping_add(GOLDEN_GAMMA);
            chunk.copy_from_slice(&mix(state).to_le_bytes());
        }
        StreamRng::from_seed(seed)
    }
}

const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// The SplitMix64 finaliser: a bijective mix of 64 bits with full avalanche.
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    fn first_draws(rng: &mut StreamRng) -> [u64; 4] {
        [rng.random(), rng.random(), rng.random(), rng.random()]
    }

    #[test]
    fn same_inputs_give_same_stream() {
        let a = RngStreams::new(7, 3).stream(StreamId::named("arrivals"));
        let b = RngStreams::new(7, 3).stream(StreamId::named("arrivals"));
        assert_eq!(first_draws(&mut a.clone()), first_draws(&mut b.clone()));
    }

    #[test]
    fn seed_replication_and_stream_each_change_the_numbers() {
        let base = first_draws(&mut RngStreams::new(7, 3).stream(StreamId::named("a")));
        let other_seed = first_draws(&mut RngStreams::new(8, 3).stream(StreamId::named("a")));
        let other_rep = first_draws(&mut RngStreams::new(7, 4).stream(StreamId::named("a")));
        let other_stream = first_draws(&mut RngStreams::new(7, 3).stream(StreamId::named("b")));
        let sub_stream =
            first_draws(&mut RngStreams::new(7, 3).stream(StreamId::named("a").index(0)));
        for other in [other_seed, other_rep, other_stream, sub_stream] {
            assert_ne!(base, other);
        }
    }

    #[test]
    fn stream_names_hash_to_fixed_values() {
        // FNV-1a 64 of "a" is fixed by its specification.
        assert_eq!(StreamId::named("a").get(), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(StreamId::named("").get(), 0xcbf2_9ce4_8422_2325);
    }

    #[test]
    fn neighbouring_seeds_give_uncorrelated_streams() {
        // Means of uniform draws from streams of consecutive seeds stay near 1/2 and their
        // pairwise correlation near zero (|r| < 4 / sqrt(n) is a > 99.99 % band).
        const N: usize = 20_000;
        let draws: Vec<Vec<f64>> = (0..8)
            .map(|rep| {
                let mut rng = RngStreams::new(1, rep).stream(StreamId::named("x"));
                (0..N).map(|_| rng.random::<f64>()).collect()
            })
            .collect();
        for i in 0..draws.len() {
            for j in i + 1..draws.len() {
                let cov: f64 = draws[i]
                    .iter()
                    .zip(&draws[j])
                    .map(|(a, b)| (a - 0.5) * (b - 0.5))
                    .sum::<f64>()
                    / N as f64;
                let r = cov * 12.0;
                assert!(
                    r.abs() < 4.0 / (N as f64).sqrt(),
                    "r = {r} between {i} and {j}"
                );
            }
        }
    }
}
