"""Load a caseload results folder with pandas and print its headline figures.

    python3 docs/examples/read_results.py results/london-2014-response/run

Prints, for all teams and each team, the cases left waiting at the end (mean and 95 %
confidence interval over replications, from summary.csv), and the day the mean number of
unallocated cases peaked (from the daily table: timeseries.parquet if the run wrote it with
--format parquet or both, else timeseries.csv). Needs pandas (and pyarrow for Parquet).
"""

import pathlib
import sys

import pandas as pd


def read_daily(folder: pathlib.Path) -> pd.DataFrame:
    """The daily table, one row per day, team and metric, `date` as a date."""
    parquet = folder / "timeseries.parquet"
    if parquet.exists():
        daily = pd.read_parquet(parquet)
    else:
        daily = pd.read_csv(folder / "timeseries.csv")
    daily["date"] = pd.to_datetime(daily["date"])
    return daily


def main(folder: pathlib.Path) -> None:
    summary = pd.read_csv(folder / "summary.csv")
    waiting = summary[summary["kpi"] == "backlog_end"]
    for row in waiting.itertuples():
        print(
            f"{row.team}: {row.mean:,.1f} cases waiting at the end "
            f"[{row.ci_lo:,.1f}, {row.ci_hi:,.1f}]"
        )
    daily = read_daily(folder)
    backlog = daily[(daily["team"] == "all") & (daily["metric"] == "unallocated")]
    peak = backlog.loc[backlog["mean"].idxmax()]
    print(f"peak: {peak['mean']:,.1f} unallocated on {peak['date']:%Y-%m-%d}")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "results/london-2014-response/run"))
