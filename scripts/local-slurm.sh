#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the end-to-end tests of `caseload slurm`.
#
#   scripts/local-slurm.sh start   install Debian's slurm-wlm and munge if needed (root only),
#                                  write a configuration and start munged, slurmctld and slurmd
#   scripts/local-slurm.sh stop    stop the daemons this script started, by their pid files
#   scripts/local-slurm.sh env     print `export SLURM_CONF=...` for the running cluster
#
# Everything lives in $CASELOAD_SLURM_DIR (default /tmp/caseload-slurm): slurm.conf, state,
# spool, logs, pid files, and the job completion log (jobcomp/filetxt: there is no accounting
# database). There is no systemd here, so the daemons are started directly. The node and the
# controller are pinned to 127.0.0.1, so an unresolvable host name cannot break the cluster,
# and no cgroup plugin is used. Exit status 3 from `start` means Slurm cannot be run here (not
# root, or the packages cannot be installed); the tests are then skipped by name.
set -euo pipefail

dir="${CASELOAD_SLURM_DIR:-/tmp/caseload-slurm}"
conf="$dir/slurm.conf"

say() { echo "local-slurm: $*" >&2; }

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

install_packages() {
    if command -v slurmctld >/dev/null && command -v slurmd >/dev/null \
        && command -v sbatch >/dev/null && command -v munged >/dev/null; then
        return 0
    fi
    if [[ $(id -u) -ne 0 ]]; then
        say "Slurm is not installed and installing it needs root"
        return 3
    fi
    say "installing slurm-wlm and munge from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q --no-install-recommends slurm-wlm munge >"$dir/apt.log" 2>&1; then
        apt-get update -q >>"$dir/apt.log" 2>&1 || true
        if ! apt-get install -y -q --no-install-recommends slurm-wlm munge >>"$dir/apt.log" 2>&1; then
            say "could not install slurm-wlm and munge (see $dir/apt.log)"
            return 3
        fi
    fi
}

start_munge() {
    if pid_alive /run/munge/munged.pid; then
        say "munged is already running; using it"
        return 0
    fi
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    chmod 0755 /run/munge
    if [[ ! -s /etc/munge/munge.key ]]; then
        dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=128 status=none
        chown munge:munge /etc/munge/munge.key
        chmod 0400 /etc/munge/munge.key
    fi
    runuser -u munge -- munged --pid-file=/run/munge/munged.pid
    echo /run/munge/munged.pid >>"$dir/started"
}

write_conf() {
    local host node
    host=$(hostname -s)
    # The node line as slurmd sees this machine, with the address pinned.
    node=$(slurmd -C | head -n 1 | sed -e 's/ UpTime=.*//')
    mkdir -p "$dir/state" "$dir/spool" "$dir/log"
    cat >"$conf" <<EOF
ClusterName=caseload
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
DependencyParameters=kill_invalid_depend
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
${node} NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

start() {
    mkdir -p "$dir"
    if pid_alive "$dir/slurmctld.pid" && pid_alive "$dir/slurmd.pid"; then
        say "already running"
        print_env
        return 0
    fi
    if [[ $(id -u) -ne 0 ]]; then
        say "starting munged, slurmctld and slurmd needs root"
        exit 3
    fi
    install_packages || exit 3
    # A fresh cluster: no jobs or completion records left from an earlier start.
    rm -rf "$dir/state" "$dir/spool" "$dir/log"
    : >"$dir/started"
    start_munge
    write_conf
    export SLURM_CONF="$conf"
    slurmctld -f "$conf"
    echo "$dir/slurmctld.pid" >>"$dir/started"
    slurmd -f "$conf"
    echo "$dir/slurmd.pid" >>"$dir/started"
    # Ready when the node accepts work.
    local waited=0
    until sinfo -h -o '%t' 2>/dev/null | grep -Eq '^(idle|mix|alloc)'; do
        sleep 1
        waited=$((waited + 1))
        if [[ $waited -ge 90 ]]; then
            say "the cluster did not become ready in 90 s; logs in $dir/log"
            sinfo 2>&1 | sed 's/^/  /' >&2 || true
            exit 1
        fi
    done
    say "ready after ${waited} s ($(sinfo -h -o '%D node, %c CPUs, partition %P'))"
    print_env
}

stop() {
    if [[ ! -f "$dir/started" ]]; then
        say "nothing to stop"
        return 0
    fi
    # Reverse order: slurmd, slurmctld, then munged.
    tac "$dir/started" | while read -r pidfile; do
        if pid_alive "$pidfile"; then
            local pid
            pid=$(cat "$pidfile")
            kill "$pid"
            for _ in $(seq 50); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
            say "stopped pid $pid ($pidfile)"
        fi
    done
    rm -f "$dir/started"
}

print_env() {
    echo "export SLURM_CONF=$conf"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) print_env ;;
    *)
        echo "usage: $0 start|stop|env" >&2
        exit 2
        ;;
esac
