#!/bin/bash
# A one-node Slurm cluster on localhost, everything (munge key and socket, slurm.conf, state,
# logs) in DIR, for trying the job array without a real cluster and for GistScope's Slurm test.
#
#   local-cluster.sh start DIR   # prints the SLURM_CONF to export; exit 3 when it cannot start
#   local-cluster.sh stop DIR
#
# Needs Debian's slurm-wlm and munge (slurmctld, slurmd, munged, sbatch) and root: slurmd starts
# jobs as their user. It uses its own ports and munge socket, so it does not touch a system
# cluster.
set -euo pipefail
usage="usage: $0 start|stop DIR"
[ $# -eq 2 ] || { echo "$usage" >&2; exit 2; }
action=$1
dir=$2

stop_pid_file() {
  local f=$1 pid
  [ -s "$f" ] || return 0
  pid=$(cat "$f")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

stop_all() {
  stop_pid_file "$dir/slurmd.pid"
  stop_pid_file "$dir/slurmctld.pid"
  stop_pid_file "$dir/munge/munged.pid"
}

# What started before a failure is stopped again.
fail() { echo "local-cluster: $*" >&2; stop_all; exit 3; }

case $action in
  stop) stop_all; exit 0 ;;
  start) ;;
  *) echo "$usage" >&2; exit 2 ;;
esac

for tool in munged slurmctld slurmd sbatch sinfo; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || fail "$tool not found (install Debian's slurm-wlm and munge)"
done
[ "$(id -u)" -eq 0 ] || fail "needs root (slurmd starts jobs as their user); running as $(id -un)"
export PATH="$PATH:/usr/sbin"

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
chmod 700 "$dir/munge"
head -c 1024 /dev/urandom > "$dir/munge/munge.key"
chmod 600 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.sock" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" \
  || fail "munged did not start (see $dir/munge/munged.log)"

host=$(hostname -s)
ctld_port=$(free_port) || fail "no free port"
slurmd_port=$(free_port) || fail "no free port"
cat > "$dir/slurm.conf" <<CONF
# Written by GistScope's packaging/slurm/local-cluster.sh: one node, localhost.
ClusterName=gistscope
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start (see $dir/log/slurmctld.log)"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start (see $dir/log/slurmd.log)"
for _ in $(seq 1 100); do
  state=$(sinfo -h -o %T 2>/dev/null || true)
  case $state in idle*|mixed*|allocated*) echo "export SLURM_CONF=$SLURM_CONF"; exit 0 ;; esac
  sleep 0.2
done
fail "the node did not come up within 20 s (state '${state:-none}'; see $dir/log/)"
