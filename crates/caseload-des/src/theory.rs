//! Closed-form queueing results that simulations are validated against.
//!
//! Rates are per unit of time (any unit, used consistently); `servers` is the number of
//! identical servers. Functions return `None` where the queue is unstable (offered load at or
//! above capacity) or the parameters are meaningless.

/// Erlang B: the probability that an arrival finds all `servers` busy in an M/M/c/c loss system
/// offered `load` Erlangs (arrival rate / service rate).
pub fn erlang_b(servers: u32, load: f64) -> Option<f64> {
    if !(load.is_finite() && load >= 0.0) {
        return None;
    }
    // B(0) = 1; B(k) = a B(k-1) / (k + a B(k-1)): stable for any c.
    let mut b = 1.0;
    for k in 1..=servers {
        b = load * b / (f64::from(k) + load * b);
    }
    Some(b)
}

/// Erlang C: the probability that an arrival waits in an M/M/c queue offered `load` Erlangs.
pub fn erlang_c(servers: u32, load: f64) -> Option<f64> {
    let c = f64::from(servers);
    if servers == 0 || load >= c {
        return None;
    }
    let b = erlang_b(servers, load)?;
    let rho = load / c;
    Some(b / (1.0 - rho * (1.0 - b)))
}

/// Steady-state means of a queue: waits in the unit of time of the rates given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueMeans {
    /// Mean wait in queue before service starts (Wq).
    pub wait: f64,
    /// Mean number waiting in queue (Lq).
    pub queue_length: f64,
    /// Mean time in system, wait plus service (W).
    pub sojourn: f64,
    /// Mean number in system (L).
    pub in_system: f64,
}

/// M/M/c with arrival rate `lambda` and service rate `mu` per server.
pub fn mmc(servers: u32, lambda: f64, mu: f64) -> Option<QueueMeans> {
    if !(lambda > 0.0 && mu > 0.0) {
        return None;
    }
    let load = lambda / mu;
    let p_wait = erlang_c(servers, load)?;
    let wait = p_wait / (f64::from(servers) * mu - lambda);
    Some(QueueMeans {
        wait,
        queue_length: lambda * wait,
        sojourn: wait + 1.0 / mu,
        in_system: lambda * (wait + 1.0 / mu),
    })
}

/// M/M/c/K (at most `capacity` in system, `capacity >= servers`): the probability that an
/// arrival is blocked, and the means for admitted customers. With `capacity == servers` the
/// blocking probability is Erlang B.
pub fn mmck(servers: u32, capacity: u32, lambda: f64, mu: f64) -> Option<(f64, QueueMeans)> {
    if servers == 0 || capacity < servers || !(lambda > 0.0 && mu > 0.0) {
        return None;
    }
    let a = lambda / mu;
    let c = f64::from(servers);
    // Unnormalised p_n, built by ratios p_n / p_{n-1} to stay finite for large c.
    let mut p = Vec::with_capacity(capacity as usize + 1);
    p.push(1.0f64);
    for n in 1..=capacity {
        let ratio = if n <= servers {
            a / f64::from(n)
        } else {
            a / c
        };
        let prev = p[n as usize - 1];
        p.push(prev * ratio);
    }
    let total: f64 = p.iter().sum();
    let p: Vec<f64> = p.iter().map(|x| x / total).collect();
    let blocking = p[capacity as usize];
    let queue_length: f64 = p
        .iter()
        .enumerate()
        .skip(servers as usize)
        .map(|(n, pn)| (n as f64 - c) * pn)
        .sum();
    let in_system: f64 = p.iter().enumerate().map(|(n, pn)| n as f64 * pn).sum();
    let admitted = lambda * (1.0 - blocking);
    Some((
        blocking,
        QueueMeans {
            wait: queue_length / admitted,
            queue_length,
            sojourn: in_system / admitted,
            in_system,
        },
    ))
}

/// M/G/1 (Pollaczek-Khinchine): means for arrival rate `lambda` and a service time with mean
/// `service_mean` and second moment `service_second_moment` (E\[S²\]).
pub fn mg1(lambda: f64, service_mean: f64, service_second_moment: f64) -> Option<QueueMeans> {
    let rho = lambda * service_mean;
    if !(lambda > 0.0 && service_mean > 0.0 && rho < 1.0) {
        return None;
    }
    let wait = lambda * service_second_moment / (2.0 * (1.0 - rho));
    Some(QueueMeans {
        wait,
        queue_length: lambda * wait,
        sojourn: wait + service_mean,
        in_system: lambda * (wait + service_mean),
    })
}

/// The means queueing theory gives for `servers` servers fed by Poisson arrivals at `lambda`
/// with service times `service`: M/M/c when service is exponential, Pollaczek-Khinchine for
/// one server whatever the service; `None` where neither applies (M/G/c with c > 1) or the
/// queue is unstable.
pub fn queue_means(servers: u32, lambda: f64, service: &crate::Dist) -> Option<QueueMeans> {
    if service.is_exponential() {
        mmc(servers, lambda, 1.0 / service.mean())
    } else if servers == 1 {
        mg1(lambda, service.mean(), service.second_moment())
    } else {
        None
    }
}

/// Non-preemptive priority M/M/c with a common service rate `mu` (Cobham): the mean wait in
/// queue of each class, highest priority first, for arrival rates `lambdas` in that order.
///
/// W_k = C(c, a) / (c mu (1 - s_{k-1}) (1 - s_k)), with s_k the load of classes 1..=k per
/// unit of capacity and C Erlang C at the total load.
pub fn priority_mmc_waits(servers: u32, lambdas: &[f64], mu: f64) -> Option<Vec<f64>> {
    let total: f64 = lambdas.iter().sum();
    let p_wait = erlang_c(servers, total / mu)?;
    let capacity = f64::from(servers) * mu;
    let mut before = 0.0;
    let mut waits = Vec::with_capacity(lambdas.len());
    for lambda in lambdas {
        let after = before + lambda / capacity;
        waits.push(p_wait / (capacity * (1.0 - before) * (1.0 - after)));
        before = after;
    }
    Some(waits)
}

/// Preemptive-resume priority M/G/1: the mean time in system of each class, highest priority
/// first, for classes given as (arrival rate, service mean, service second moment E\[S²\]).
///
/// T_k = E\[S_k\] / (1 - s_{k-1}) + R_k / ((1 - s_{k-1}) (1 - s_k)), with s_k the load of
/// classes 1..=k and R_k = sum over i <= k of lambda_i E\[S_i²\] / 2 (Kleinrock, Queueing
/// Systems vol. 2, 3.8). `None` unless the total load is below 1.
pub fn preemptive_priority_mg1_sojourns(classes: &[(f64, f64, f64)]) -> Option<Vec<f64>> {
    let mut before = 0.0;
    let mut residual = 0.0;
    let mut sojourns = Vec::with_capacity(classes.len());
    for &(lambda, mean, second_moment) in classes {
        if !(lambda >= 0.0 && mean > 0.0 && second_moment >= mean * mean) {
            return None;
        }
        let after = before + lambda * mean;
        if after >= 1.0 {
            return None;
        }
        residual += lambda * second_moment / 2.0;
        sojourns.push(mean / (1.0 - before) + residual / ((1.0 - before) * (1.0 - after)));
        before = after;
    }
    Some(sojourns)
}

/// M/M/1 mean time in system, 1 / (mu - lambda); also the M/G/1 processor-sharing mean
/// sojourn for any service distribution of mean 1/mu.
pub fn mm1_sojourn(lambda: f64, mu: f64) -> Option<f64> {
    (lambda > 0.0 && mu > lambda).then(|| 1.0 / (mu - lambda))
}

/// Steady state of M/M/c+M (Erlang A, Palm): customers wait first come first served and
/// abandon the queue after an exponential patience of rate `theta`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangA {
    /// Share of arrivals that abandon before service.
    pub abandon: f64,
    /// Mean wait in queue of the customers who are served (0 for those served at once).
    pub wait_served: f64,
    /// Mean number waiting in queue.
    pub queue_length: f64,
}

/// M/M/c+M with arrival rate `lambda`, service rate `mu` per server and abandonment rate
/// `theta` per waiting customer, from the birth-death chain of the number in system
/// (truncated where its probabilities fall below 1e-300 of the largest) and, for the wait of
/// those served, the race of a tagged arrival between moving up the queue (rate c mu + j
/// theta with j ahead) and its own abandonment (rate theta). Stable for any load when
/// `theta > 0`.
pub fn erlang_a(servers: u32, lambda: f64, mu: f64, theta: f64) -> Option<ErlangA> {
    if servers == 0 || !(lambda > 0.0 && mu > 0.0 && theta > 0.0) {
        return None;
    }
    let c = f64::from(servers);
    // Unnormalised probabilities by ratios, until negligible (past the mode, they fall).
    let mut p = vec![1.0_f64];
    let (mut n, mut largest) = (0usize, 1.0_f64);
    loop {
        n += 1;
        let k = n as f64;
        let death = k.min(c) * mu + (k - c).max(0.0) * theta;
        let next = p[n - 1] * lambda / death;
        p.push(next);
        largest = largest.max(next);
        if (k > c && next < 1e-300 * largest) || n > 10_000_000 {
            break;
        }
    }
    let total: f64 = p.iter().sum();
    let servers = servers as usize;
    let (mut served, mut weighted_wait, mut queue) = (0.0, 0.0, 0.0);
    // a: P(served | j ahead), t: E[wait, served | j ahead], for j = 0, 1, ...
    let (mut a, mut t) = (1.0, 0.0);
    for (n, &pn) in p.iter().enumerate() {
        let pi = pn / total;
        if n < servers {
            served += pi;
            continue;
        }
        let j = (n - servers) as f64;
        queue += pi * (j + 1.0);
        let moving = c * mu + j * theta;
        let rate = moving + theta;
        // From j ahead: hold for 1/rate, then move to j - 1 ahead (or service) or abandon.
        t = moving / rate * (a / rate + t);
        a *= moving / rate;
        served += pi * a;
        weighted_wait += pi * t;
    }
    // `queue` counted each state n >= c as n - c + 1: take off the one too many.
    let waiting: f64 = p
        .iter()
        .enumerate()
        .skip(servers)
        .map(|(_, &pn)| pn / total)
        .sum();
    Some(ErlangA {
        abandon: 1.0 - served,
        wait_served: weighted_wait / served,
        queue_length: queue - waiting,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queues_theory_is_mmc_for_exponential_service_and_pk_for_one_server() {
        let exp = crate::Dist::exponential(1.0).expect("a mean");
        assert_eq!(queue_means(5, 4.0, &exp), mmc(5, 4.0, 1.0));
        let lognormal = crate::Dist::lognormal(1.0, 1.5).expect("a mean and cv");
        assert_eq!(
            queue_means(1, 0.5, &lognormal),
            mg1(0.5, 1.0, lognormal.second_moment())
        );
        assert!(queue_means(1, 0.5, &lognormal).is_some());
        assert_eq!(
            queue_means(3, 2.0, &lognormal),
            None,
            "no closed form for M/G/c"
        );
        assert_eq!(queue_means(2, 3.0, &exp), None, "unstable");
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    #[test]
    fn preemptive_priority_reduces_to_mm1_and_conserves_work() {
        // One class is M/G/1 with the P-K mean.
        let one = preemptive_priority_mg1_sojourns(&[(0.5, 1.0, 3.25)]).expect("stable");
        let pk = mg1(0.5, 1.0, 3.25).expect("stable").sojourn;
        assert!(close(one[0], pk, 1e-12));
        // Exponential service, mu = 1, loads 0.3 and 0.4: the top class sees an M/M/1 of its
        // own, 1 / (1 - 0.3); the second 1 / ((1 - 0.3) (1 - 0.7)) (worked by hand).
        let t =
            preemptive_priority_mg1_sojourns(&[(0.3, 1.0, 2.0), (0.4, 1.0, 2.0)]).expect("stable");
        assert!(close(t[0], 1.0 / 0.7, 1e-12));
        assert!(close(t[1], 1.0 / (0.7 * 0.3), 1e-12));
        // With a common exponential service the classes together are M/M/1: the
        // arrival-weighted mean is 1 / (mu - lambda).
        let all = (0.3 * t[0] + 0.4 * t[1]) / 0.7;
        assert!(close(all, mm1_sojourn(0.7, 1.0).expect("stable"), 1e-12));
        assert_eq!(
            preemptive_priority_mg1_sojourns(&[(0.6, 1.0, 2.0), (0.4, 1.0, 2.0)]),
            None
        );
    }

    #[test]
    fn erlang_values_match_published_tables() {
        // Erlang B, 10 servers, 5 Erlangs: 0.018385 (standard tables).
        assert!(close(erlang_b(10, 5.0).unwrap_or(0.0), 0.018_385, 1e-4));
        // M/M/1: probability of waiting is rho.
        assert!(close(erlang_c(1, 0.7).unwrap_or(0.0), 0.7, 1e-12));
        // The engine bench workload: c = 50, lambda = 45, mu = 1 gives Wq = 0.07277.
        let m = mmc(50, 45.0, 1.0).expect("stable");
        assert!(close(m.wait, 0.072_77, 1e-3), "{}", m.wait);
        assert!(erlang_c(5, 5.0).is_none());
    }

    #[test]
    fn erlang_a_agrees_with_its_rate_balance_and_its_limits() {
        // Abandonment rate theta Lq equals lambda times the share abandoning.
        let e = erlang_a(10, 9.0, 1.0, 0.5).expect("valid");
        assert!(close(e.abandon * 9.0, 0.5 * e.queue_length, 1e-9), "{e:?}");
        // theta = mu: every customer leaves at rate mu, so the number in system is
        // Poisson(lambda / mu) and the share abandoning is E[(N - c)+] mu / lambda.
        let (c, a) = (4u32, 6.0_f64);
        let mut pn = (-a).exp();
        let mut excess = 0.0;
        for n in 0..200u32 {
            if n > 0 {
                pn *= a / f64::from(n);
            }
            excess += pn * f64::from(n.saturating_sub(c));
        }
        let e = erlang_a(c, a, 1.0, 1.0).expect("valid");
        assert!(
            close(e.abandon, excess / a, 1e-9),
            "{} vs {}",
            e.abandon,
            excess / a
        );
        // Almost no abandonment: M/M/c.
        let e = erlang_a(10, 8.0, 1.0, 1e-9).expect("valid");
        let m = mmc(10, 8.0, 1.0).expect("stable");
        assert!(
            close(e.wait_served, m.wait, 1e-5),
            "{} vs {}",
            e.wait_served,
            m.wait
        );
        assert!(e.abandon < 1e-6);
        assert!(erlang_a(0, 1.0, 1.0, 1.0).is_none());
    }

    #[test]
    fn mmck_reduces_to_erlang_b_and_to_mmc() {
        let (block, _) = mmck(10, 10, 5.0, 1.0).expect("valid");
        assert!(close(block, erlang_b(10, 5.0).unwrap_or(0.0), 1e-12));
        let (block, means) = mmck(4, 400, 3.0, 1.0).expect("valid");
        let inf = mmc(4, 3.0, 1.0).expect("stable");
        assert!(block < 1e-12);
        assert!(close(means.wait, inf.wait, 1e-9));
    }

    #[test]
    fn pk_with_exponential_service_is_mm1() {
        let pk = mg1(0.6, 1.0, 2.0).expect("stable");
        let mm1 = mmc(1, 0.6, 1.0).expect("stable");
        assert!(close(pk.wait, mm1.wait, 1e-12));
        assert!(close(
            pk.sojourn,
            mm1_sojourn(0.6, 1.0).unwrap_or(0.0),
            1e-12
        ));
    }

    #[test]
    fn cobham_classes_average_to_the_fifo_wait() {
        // Work conservation with a common service rate: the arrival-weighted mean of the class
        // waits equals the FIFO M/M/c wait.
        let lambdas = [1.0, 2.0, 1.5];
        let waits = priority_mmc_waits(5, &lambdas, 1.0).expect("stable");
        let weighted: f64 = waits.iter().zip(lambdas).map(|(w, l)| w * l).sum::<f64>() / 4.5;
        assert!(close(
            weighted,
            mmc(5, 4.5, 1.0).expect("stable").wait,
            1e-12
        ));
        assert!(waits[0] < waits[1] && waits[1] < waits[2]);
    }
}
