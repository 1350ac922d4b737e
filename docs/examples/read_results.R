# Load a caseload results folder in R and print its headline figures.
#
#   Rscript docs/examples/read_results.R results/london-2014-response/run
#
# The same figures as read_results.py: the cases left waiting at the end for all teams and
# each team (summary.csv), and the day the mean number of unallocated cases peaked (the daily
# table: timeseries.parquet through the arrow package if the run wrote it with --format
# parquet or both, else timeseries.csv). Needs base R (and arrow for Parquet).

args <- commandArgs(trailingOnly = TRUE)
folder <- if (length(args) > 0) args[1] else "results/london-2014-response/run"

summary <- read.csv(file.path(folder, "summary.csv"), stringsAsFactors = FALSE)
waiting <- summary[summary$kpi == "backlog_end", ]
for (i in seq_len(nrow(waiting))) {
  cat(sprintf("%s: %.1f cases waiting at the end [%.1f, %.1f]\n",
              waiting$team[i], waiting$mean[i], waiting$ci_lo[i], waiting$ci_hi[i]))
}

parquet <- file.path(folder, "timeseries.parquet")
daily <- if (file.exists(parquet)) {
  as.data.frame(arrow::read_parquet(parquet))
} else {
  read.csv(file.path(folder, "timeseries.csv"), stringsAsFactors = FALSE)
}
daily$date <- as.Date(daily$date)
backlog <- daily[daily$team == "all" & daily$metric == "unallocated", ]
peak <- backlog[which.max(backlog$mean), ]
cat(sprintf("peak: %.1f unallocated on %s\n", peak$mean, format(peak$date)))
