//! What one replication yields: the daily series kept for bands and the key performance
//! indicators (KPIs) planners ask for, computed by an [`Observer`] as the run goes.

use caseload_model::{CaseRecord, DaySnapshot, ModelConfig, Observer, Priority, Source, TeamDay};

/// The thresholds KPIs are reported against.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    /// Target time from referral to allocation, days.
    pub allocation_target_days: f64,
    /// Backlog level whose breach on any day is counted, cases.
    pub backlog_breach: Option<f64>,
    /// Backlog level to recover below after the peak, cases.
    pub recovery_backlog: Option<f64>,
}

/// What to run: a model configuration and how its replications are summarised.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// The model.
    pub model: ModelConfig,
    /// Days at the start excluded from the KPIs (series keep them).
    pub warmup_days: f64,
    /// KPI thresholds.
    pub thresholds: Thresholds,
    /// Whether to keep every case's record (for `cases.csv`); memory grows with the run.
    pub keep_cases: bool,
}

/// A KPI's name, unit and meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiDef {
    /// Machine name, e.g. `days_to_allocate_p90_priority_1`.
    pub name: String,
    /// Unit, e.g. "days", "cases", "share".
    pub unit: &'static str,
    /// One line saying what it is.
    pub description: String,
}

/// A daily series kept for bands: a metric of one team or of the total.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesDef {
    /// The team, or `None` for the total over teams.
    pub team: Option<usize>,
    /// Metric name, e.g. `unallocated`.
    pub metric: &'static str,
}

const TOTAL_METRICS: [&str; 18] = [
    "unallocated",
    "open",
    "waiting_age_median",
    "waiting_age_p90",
    "waiting_older_than_threshold",
    "mean_caseload",
    "max_caseload",
    "officers",
    "officers_establishment",
    "officers_overstaff",
    "officers_transfer",
    "officers_attachment",
    "officers_agency",
    "in_training",
    "available_hours_per_day",
    "cost_to_date",
    "arrived",
    "completed",
];

const TEAM_METRICS: [&str; 4] = ["unallocated", "open", "mean_caseload", "officers"];

fn metric_value(metric: &str, day: &TeamDay) -> f64 {
    let source = |s: Source| f64::from(day.officers_from(s));
    match metric {
        "unallocated" => f64::from(day.unallocated),
        "open" => f64::from(day.open),
        "waiting_age_median" => day.waiting_age_median,
        "waiting_age_p90" => day.waiting_age_p90,
        "waiting_older_than_threshold" => f64::from(day.waiting_older_than_threshold),
        "mean_caseload" => day.mean_caseload,
        "max_caseload" => f64::from(day.max_caseload),
        "officers" => f64::from(day.officers()),
        "officers_establishment" => source(Source::Establishment),
        "officers_overstaff" => source(Source::Overstaff),
        "officers_transfer" => source(Source::Transfer),
        "officers_attachment" => source(Source::Attachment),
        "officers_agency" => source(Source::Agency),
        "in_training" => f64::from(day.in_training),
        "available_hours_per_day" => day.available_hours_per_day,
        "cost_to_date" => day.cost_to_date,
        _ => f64::NAN,
    }
}

impl Design {
    /// Daily snapshots in a replication: days 0 to the horizon (rounded up), inclusive.
    pub fn days(&self) -> usize {
        self.model.horizon_days.ceil() as usize + 1
    }

    /// First day counted in the KPIs.
    pub fn first_kpi_day(&self) -> usize {
        (self.warmup_days.ceil() as usize).min(self.days() - 1)
    }

    /// The priorities case types arrive with, ascending.
    pub fn priorities(&self) -> Vec<Priority> {
        let mut p: Vec<Priority> = self.model.case_types.iter().map(|t| t.priority).collect();
        p.sort_unstable();
        p.dedup();
        p
    }

    /// The series kept per day: every total metric, then a few per team.
    pub fn series(&self) -> Vec<SeriesDef> {
        let totals = TOTAL_METRICS
            .iter()
            .map(|&metric| SeriesDef { team: None, metric });
        let teams = (0..self.model.teams.len()).flat_map(|team| {
            TEAM_METRICS.iter().map(move |&metric| SeriesDef {
                team: Some(team),
                metric,
            })
        });
        totals.chain(teams).collect()
    }

    /// The KPIs, in the order [`ReplicationResult::kpis`] holds them.
    pub fn kpis(&self) -> Vec<KpiDef> {
        let t = &self.thresholds;
        let def = |name: &str, unit, description: String| KpiDef {
            name: name.to_string(),
            unit,
            description,
        };
        let mut defs = vec![
            def(
                "backlog_end",
                "cases",
                "unallocated cases at the end".into(),
            ),
            def(
                "backlog_peak",
                "cases",
                "most unallocated cases on any day".into(),
            ),
            def(
                "days_to_allocate_mean",
                "days",
                "mean days from referral to allocation".into(),
            ),
            def(
                "days_to_allocate_median",
                "days",
                "median days from referral to allocation".into(),
            ),
            def(
                "days_to_allocate_p90",
                "days",
                "90th percentile days from referral to allocation".into(),
            ),
        ];
        for p in self.priorities() {
            defs.push(def(
                &format!("days_to_allocate_mean_priority_{p}"),
                "days",
                format!("mean days to allocation, priority {p} on arrival"),
            ));
            defs.push(def(
                &format!("days_to_allocate_p90_priority_{p}"),
                "days",
                format!("90th percentile days to allocation, priority {p} on arrival"),
            ));
        }
        defs.push(def(
            "share_allocated_within_target",
            "share",
            format!(
                "share of referrals allocated within {} days",
                t.allocation_target_days
            ),
        ));
        defs.push(def(
            "share_waiting_over_threshold",
            "share",
            format!(
                "share of cases waiting at the end that have waited over {} days",
                self.model.age_threshold_days
            ),
        ));
        if let Some(level) = t.recovery_backlog {
            defs.push(def(
                "recovered",
                "share",
                format!(
                    "share of replications whose backlog fell to {level} or below after its peak"
                ),
            ));
            defs.push(def(
                "days_to_recover",
                "days",
                format!("days from the peak until the backlog is at most {level} (the rest of the run if never)"),
            ));
        }
        if let Some(level) = t.backlog_breach {
            defs.push(def(
                "backlog_breach_probability",
                "share",
                format!("share of replications whose backlog exceeded {level} on some day"),
            ));
        }
        defs.extend([
            def(
                "mean_caseload",
                "cases per officer",
                "open cases per officer at work, averaged over days".into(),
            ),
            def(
                "officers_in_post",
                "officers",
                "officers in post, averaged over days".into(),
            ),
            def("referrals", "cases", "referrals arrived".into()),
            def("completed", "cases", "cases completed".into()),
            def("cost", "pounds", "staffing cost".into()),
            def(
                "cost_per_completed_case",
                "pounds",
                "staffing cost per case completed".into(),
            ),
        ]);
        defs
    }
}

/// Position in `defs` of the total (all-teams) series of `metric`.
pub(crate) fn total_series(defs: &[SeriesDef], metric: &str) -> Option<usize> {
    defs.iter()
        .position(|d| d.team.is_none() && d.metric == metric)
}

/// What one replication yields.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicationResult {
    /// KPI values in [`Design::kpis`] order; NaN where undefined (e.g. no case of a priority).
    pub kpis: Vec<f64>,
    /// Daily values, series-major: `series[s * days + d]` for [`Design::series`] `s`.
    pub series: Vec<f64>,
    /// Every case's record (completed, then unfinished), when the design keeps cases.
    pub cases: Vec<CaseRecord>,
    /// Engine events processed.
    pub events: u64,
}

/// The observer that turns one replication into a [`ReplicationResult`].
pub(crate) struct KpiObserver<'a> {
    design: &'a Design,
    series_defs: Vec<SeriesDef>,
    days: usize,
    series: Vec<f64>,
    priorities: Vec<Priority>,
    /// Days to allocation of cases arriving after the warm-up, by arrival priority index.
    delays: Vec<Vec<f64>>,
    eligible_for_target: u64,
    within_target: u64,
    completed_after_warmup: u64,
    arrived_after_warmup: u64,
    cases: Vec<CaseRecord>,
}

impl<'a> KpiObserver<'a> {
    pub(crate) fn new(design: &'a Design) -> Self {
        let days = design.days();
        let series_defs = design.series();
        let priorities = design.priorities();
        Self {
            design,
            series: vec![f64::NAN; series_defs.len() * days],
            series_defs,
            days,
            delays: vec![Vec::new(); priorities.len()],
            priorities,
            eligible_for_target: 0,
            within_target: 0,
            completed_after_warmup: 0,
            arrived_after_warmup: 0,
            cases: Vec::new(),
        }
    }

    fn record(&mut self, case: &CaseRecord) {
        let warmup = self.design.warmup_days;
        if case.arrival_day >= warmup {
            self.arrived_after_warmup += 1;
            let target = self.design.thresholds.allocation_target_days;
            let eligible = case.arrival_day + target <= self.design.model.horizon_days;
            let delay = case.allocated_day.map(|a| a - case.arrival_day);
            if eligible {
                self.eligible_for_target += 1;
                if delay.is_some_and(|d| d <= target) {
                    self.within_target += 1;
                }
            }
            if let (Some(d), Ok(i)) = (delay, self.priorities.binary_search(&case.arrival_priority))
            {
                self.delays[i].push(d);
            }
        }
        if self.design.keep_cases {
            self.cases.push(case.clone());
        }
    }

    fn total(&self, metric: &str) -> &[f64] {
        let Some(s) = total_series(&self.series_defs, metric) else {
            panic!("the total series `{metric}` is always kept (TOTAL_METRICS)");
        };
        &self.series[s * self.days..(s + 1) * self.days]
    }

    pub(crate) fn finish(mut self, events: u64) -> ReplicationResult {
        let first = self.design.first_kpi_day();
        let last = self.days - 1;
        let backlog: Vec<f64> = self.total("unallocated")[first..].to_vec();
        let (peak_offset, peak) =
            backlog
                .iter()
                .enumerate()
                .fold((0, f64::NEG_INFINITY), |best, (i, &b)| {
                    if b > best.1 { (i, b) } else { best }
                });
        let mut all: Vec<f64> = self.delays.iter().flatten().copied().collect();
        all.sort_by(f64::total_cmp);
        let mean = |v: &[f64]| {
            if v.is_empty() {
                f64::NAN
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        };
        let mut kpis = vec![
            backlog[backlog.len() - 1],
            peak,
            mean(&all),
            crate::stats::quantile_sorted(&all, 0.5),
            crate::stats::quantile_sorted(&all, 0.9),
        ];
        for delays in &mut self.delays {
            delays.sort_by(f64::total_cmp);
            kpis.push(mean(delays));
            kpis.push(crate::stats::quantile_sorted(delays, 0.9));
        }
        kpis.push(if self.eligible_for_target == 0 {
            f64::NAN
        } else {
            self.within_target as f64 / self.eligible_for_target as f64
        });
        let waiting = self.total("unallocated")[last];
        let old = self.total("waiting_older_than_threshold")[last];
        kpis.push(if waiting > 0.0 { old / waiting } else { 0.0 });
        let t = &self.design.thresholds;
        if let Some(level) = t.recovery_backlog {
            let after_peak = &backlog[peak_offset..];
            match after_peak.iter().position(|&b| b <= level) {
                Some(days) => kpis.extend([1.0, days as f64]),
                None => kpis.extend([0.0, (after_peak.len() - 1) as f64]),
            }
        }
        if let Some(level) = t.backlog_breach {
            kpis.push(if peak > level { 1.0 } else { 0.0 });
        }
        let average = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let cost = self.total("cost_to_date")[last] - self.total("cost_to_date")[first];
        kpis.extend([
            average(&self.total("mean_caseload")[first..]),
            average(&self.total("officers")[first..]),
            self.arrived_after_warmup as f64,
            self.completed_after_warmup as f64,
            cost,
            if self.completed_after_warmup == 0 {
                f64::NAN
            } else {
                cost / self.completed_after_warmup as f64
            },
        ]);
        ReplicationResult {
            kpis,
            series: self.series,
            cases: self.cases,
            events,
        }
    }
}

impl Observer for KpiObserver<'_> {
    fn case_completed(&mut self, case: &CaseRecord) {
        if case
            .completed_day
            .is_some_and(|d| d >= self.design.warmup_days)
        {
            self.completed_after_warmup += 1;
        }
        self.record(case);
    }

    fn case_unfinished(&mut self, case: &CaseRecord) {
        self.record(case);
    }

    fn day(&mut self, snapshot: &DaySnapshot<'_>) {
        let d = snapshot.day as usize;
        if d >= self.days {
            return;
        }
        for (s, def) in self.series_defs.iter().enumerate() {
            let day = match def.team {
                Some(team) => &snapshot.teams[team],
                None => snapshot.total,
            };
            let value = match def.metric {
                "arrived" => snapshot.arrived as f64,
                "completed" => snapshot.completed as f64,
                metric => metric_value(metric, day),
            };
            self.series[s * self.days + d] = value;
        }
    }
}
