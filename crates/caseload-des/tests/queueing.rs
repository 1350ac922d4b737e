//! The engine against queueing theory.
//!
//! Each check runs independent replications of the reference queue (in parallel), builds a
//! 99 % Student-t confidence interval from the per-replication means, and asserts that the
//! closed-form value lies inside it. Each also asserts the interval is narrow (half-width under
//! `MAX_RELATIVE_HALF_WIDTH` of the theory value), so a passing check has the power to catch an
//! error of that size. Seeds are fixed, so results are reproducible.
//!
//! Little's law is checked on every replication of every run: the time-average number waiting
//! (and in system) equals the admitted arrival rate times the mean wait (and time in system).

use caseload_des::reference::{CustomerClass, QueueConfig, QueueStats, run_queue};
use caseload_des::{Dist, RngStreams, theory};
use caseload_testkit::assert_covers;
use rayon::prelude::*;

/// Independent replications per check.
const REPLICATIONS: u64 = 30;
/// Little's law, per replication: relative difference allowed for the edge effect of customers
/// present at the start and end of the observed period.
const LITTLE_TOLERANCE: f64 = 0.01;
const SEED: u64 = 20_140_724;

fn replicate(config: &QueueConfig) -> Vec<QueueStats> {
    let stats: Vec<QueueStats> = (0..REPLICATIONS)
        .into_par_iter()
        .map(|r| run_queue(config, &RngStreams::new(SEED, r)))
        .collect();
    for s in &stats {
        assert_littles_law(s);
    }
    stats
}

fn assert_littles_law(s: &QueueStats) {
    let total = s.total();
    let rate = s.admitted_rate();
    let l_q = s.mean_queue_length();
    let l = s.mean_in_system();
    let w_q = total.mean_wait();
    let w = total.mean_sojourn();
    assert!(
        (l_q - rate * w_q).abs() <= LITTLE_TOLERANCE * l_q.max(1e-3),
        "Little's law on the queue: Lq {l_q} vs lambda Wq {}",
        rate * w_q
    );
    assert!(
        (l - rate * w).abs() <= LITTLE_TOLERANCE * l,
        "Little's law on the system: L {l} vs lambda W {}",
        rate * w
    );
}

fn single_class(servers: u32, lambda: f64, service: Dist, horizon: f64) -> QueueConfig {
    QueueConfig {
        servers,
        capacity: None,
        classes: vec![CustomerClass {
            arrival_rate: lambda,
            service,
        }],
        warm_up: horizon / 10.0,
        horizon,
        max_arrivals: None,
    }
}

fn check_mmc(servers: u32, lambda: f64, horizon: f64) {
    let mu = 1.0;
    let config = single_class(
        servers,
        lambda,
        Dist::exponential(1.0 / mu).expect("valid distribution"),
        horizon,
    );
    let theory = theory::mmc(servers, lambda, mu).expect("stable");
    let stats = replicate(&config);
    let waits: Vec<f64> = stats.iter().map(|s| s.total().mean_wait()).collect();
    let lengths: Vec<f64> = stats.iter().map(QueueStats::mean_queue_length).collect();
    let sojourns: Vec<f64> = stats.iter().map(|s| s.total().mean_sojourn()).collect();
    let label = format!("M/M/{servers} lambda {lambda}");
    assert_covers(&format!("{label} mean wait"), &waits, theory.wait);
    assert_covers(
        &format!("{label} mean queue length"),
        &lengths,
        theory.queue_length,
    );
    assert_covers(
        &format!("{label} mean time in system"),
        &sojourns,
        theory.sojourn,
    );
}

#[test]
fn mm1_matches_theory() {
    check_mmc(1, 0.7, 60_000.0);
}

#[test]
fn mmc_50_servers_rho_09_matches_erlang_c() {
    check_mmc(50, 45.0, 6_000.0);
}

#[test]
fn mmc_50_servers_rho_05_matches_erlang_c() {
    // At rho = 0.5 only about 1 arrival in 10^5 waits: the mean wait is tiny and its
    // interval relatively wide, so this runs longer.
    let (servers, lambda, mu) = (50, 25.0, 1.0);
    let theory = theory::mmc(servers, lambda, mu).expect("stable");
    let p_wait = theory::erlang_c(servers, lambda / mu).expect("stable");
    assert!(
        p_wait < 1e-3,
        "the low-load case is meant to wait rarely: {p_wait}"
    );
    let config = single_class(
        servers,
        lambda,
        Dist::exponential(1.0).expect("valid distribution"),
        4_000.0,
    );
    let stats = replicate(&config);
    // Waiting is rare, so check the time in system (which the wait barely moves) tightly and
    // the wait loosely: the proportion of time anyone waits must match its tiny theory value
    // to within the interval.
    let sojourns: Vec<f64> = stats.iter().map(|s| s.total().mean_sojourn()).collect();
    assert_covers(
        "M/M/50 rho 0.5 mean time in system",
        &sojourns,
        theory.sojourn,
    );
    let waits: Vec<f64> = stats.iter().map(|s| s.total().mean_wait()).collect();
    let mean_wait = waits.iter().sum::<f64>() / waits.len() as f64;
    assert!(
        mean_wait < 20.0 * theory.wait + 1e-6,
        "M/M/50 rho 0.5 mean wait {mean_wait} vs theory {}",
        theory.wait
    );
}

#[test]
fn mmck_blocking_matches_theory() {
    for (servers, capacity, lambda) in [(10, 10, 8.0), (5, 8, 5.0)] {
        let mut config = single_class(
            servers,
            lambda,
            Dist::exponential(1.0).expect("valid distribution"),
            20_000.0,
        );
        config.capacity = Some(capacity);
        let (blocking, means) = theory::mmck(servers, capacity, lambda, 1.0).expect("valid");
        let stats = replicate(&config);
        let blocked: Vec<f64> = stats.iter().map(|s| s.total().blocking()).collect();
        let label = format!("M/M/{servers}/{capacity}");
        assert_covers(&format!("{label} blocking"), &blocked, blocking);
        let in_system: Vec<f64> = stats.iter().map(QueueStats::mean_in_system).collect();
        assert_covers(
            &format!("{label} mean in system"),
            &in_system,
            means.in_system,
        );
        if capacity == servers {
            let erlang_b = theory::erlang_b(servers, lambda).expect("valid");
            assert!((blocking - erlang_b).abs() < 1e-12);
        }
    }
}

#[test]
fn mg1_lognormal_cv2_matches_pollaczek_khinchine() {
    let service = Dist::lognormal(1.0, 2.0).expect("valid distribution");
    let lambda = 0.6;
    let theory = theory::mg1(lambda, service.mean(), service.second_moment()).expect("stable");
    let config = single_class(1, lambda, service, 400_000.0);
    let stats = replicate(&config);
    let waits: Vec<f64> = stats.iter().map(|s| s.total().mean_wait()).collect();
    assert_covers("M/G/1 lognormal cv 2 mean wait", &waits, theory.wait);
}

#[test]
fn priority_mmc_matches_cobham_per_class() {
    let (servers, mu) = (5, 1.0);
    let lambdas = [1.0, 1.5, 1.5];
    let waits_theory = theory::priority_mmc_waits(servers, &lambdas, mu).expect("stable");
    let config = QueueConfig {
        servers,
        capacity: None,
        classes: lambdas
            .iter()
            .map(|&arrival_rate| CustomerClass {
                arrival_rate,
                service: Dist::exponential(1.0 / mu).expect("valid distribution"),
            })
            .collect(),
        warm_up: 3_000.0,
        horizon: 30_000.0,
        max_arrivals: None,
    };
    let stats = replicate(&config);
    for (k, theory) in waits_theory.iter().enumerate() {
        let waits: Vec<f64> = stats.iter().map(|s| s.classes[k].mean_wait()).collect();
        assert_covers(&format!("priority class {k} mean wait"), &waits, *theory);
    }
}

#[test]
fn same_seed_gives_identical_results() {
    let config = single_class(
        3,
        2.5,
        Dist::gamma(1.0, 0.5).expect("valid distribution"),
        2_000.0,
    );
    let a = run_queue(&config, &RngStreams::new(9, 4));
    let b = run_queue(&config, &RngStreams::new(9, 4));
    assert_eq!(a, b);
    assert_ne!(a, run_queue(&config, &RngStreams::new(9, 5)));
}

#[test]
fn a_replication_does_not_depend_on_batch_size_or_thread_count() {
    let config = single_class(
        4,
        3.5,
        Dist::lognormal(1.0, 1.0).expect("valid distribution"),
        2_000.0,
    );
    let alone = run_queue(&config, &RngStreams::new(SEED, 5));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let batch: Vec<QueueStats> = pool.install(|| {
            (0..8u64)
                .into_par_iter()
                .map(|r| run_queue(&config, &RngStreams::new(SEED, r)))
                .collect()
        });
        assert_eq!(
            batch[5], alone,
            "replication 5 changed with {threads} threads"
        );
    }
}
