#!/usr/bin/env bash
# Bring up a single-node SLURM cluster on this machine for tests/test_slurm.py (and CI):
# Debian's slurm-wlm 22.05 + munge, slurmctld and slurmd on this host only, one GRES "gpu" so
# GPU-tagged jobs (--gpus=1) schedule, no accounting database.
#   sudo .ci/slurm/up.sh            # installs the packages if missing (apt-get), then starts
#   .ci/slurm/up.sh --check         # exit 0 if the cluster answers
# Job records go to $JOBCOMP (jobcomp/filetxt, "filelog" in newer SLURM: one line per finished job with its TRES, e.g.
# gres/gpu=1). Without slurmdbd, `sacct` has nothing to read, so the executor plugin's status
# queries must use `squeue --states=all`; MinJobAge=3600 keeps finished jobs visible to squeue
# for an hour (the plugin wants >= 120 s).
set -euo pipefail
JOBCOMP=${JOBCOMP:-/var/log/slurm/jobcomp.log}
HOST=$(hostname -s)

answers() { timeout 5 sinfo -h -o %T 2>/dev/null | grep -qE "idle|mix|alloc"; }
if [[ "${1:-}" == "--check" ]]; then answers; exit; fi
if answers; then echo "SLURM already up"; exit 0; fi
[[ $(id -u) == 0 ]] || { echo "run as root (installs packages, starts daemons)" >&2; exit 1; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi

# munge: a key, its run folder, the daemon (refuses root, runs as munge)
mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
[[ -s /etc/munge/munge.key ]] || mungekey --create --force
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
chmod 0700 /etc/munge && chmod 0400 /etc/munge/munge.key
pgrep -x munged >/dev/null || runuser -u munge -- /usr/sbin/munged
for _ in $(seq 50); do munge -n >/dev/null 2>&1 && break; sleep 0.1; done

# memory SLURM may hand out: what the machine has, less 1 GB for the system
MEM_MB=$(( $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) - 1024 ))
CPUS=$(nproc)
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm "$(dirname "$JOBCOMP")"
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=imbaug-test
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
GresTypes=gpu
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$JOBCOMP
MinJobAge=3600
SchedulerParameters=enable_user_top
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM_MB Gres=gpu:1 State=UNKNOWN
PartitionName=main Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
# one GRES gpu; slurmd drops file-less GPUs, so /dev/null stands in for the device file
echo "NodeName=$HOST Name=gpu Count=1 File=/dev/null" > /etc/slurm/gres.conf

fail() { echo "SLURM did not come up: $1" >&2; tail -n 5 /var/log/slurm/*.log >&2; exit 1; }
pgrep -x slurmctld >/dev/null || slurmctld
for _ in $(seq 50); do timeout 2 scontrol ping >/dev/null 2>&1 && break; sleep 0.2; done
pgrep -x slurmctld >/dev/null || fail "slurmctld exited"
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 30); do answers && break; sleep 1; done
answers || fail "the node did not register"
sinfo
