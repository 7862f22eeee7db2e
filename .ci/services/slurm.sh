#!/usr/bin/env bash
# A single-node Slurm on this machine (Debian slurm-wlm + munge), for the sweep integration test. Idempotent.
# Every daemon runs as root: this is a throw-away CI cluster, not a production setup.
set -euo pipefail
command -v slurmctld >/dev/null && command -v munged >/dev/null || { echo "slurm.sh: slurm-wlm and munge are not installed" >&2; exit 1; }
host=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ {print int($2/1024*0.8)}' /proc/meminfo)

if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
fi
chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge 2>/dev/null || true
chmod 0400 /etc/munge/munge.key
mkdir -p /run/munge && chown munge:munge /run/munge
pgrep -x munged >/dev/null || su -s /bin/sh munge -c /usr/sbin/munged

mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=nonlinear-ci
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:2
CONF
# No cgroup.conf: slurmd 22.05 then loads cgroup/v1 where the host has it; "CgroupPlugin=disabled" is newer than 22.05.
rm -f /etc/slurm/cgroup.conf
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 1 30); do
  state=$(sinfo -h -n "$host" -o %t 2>/dev/null || true)
  case "$state" in idle*|mix*|alloc*) echo "slurm.sh: node $host is $state" >&2; exit 0;; esac
  case "$state" in down*|drain*) scontrol update nodename="$host" state=resume 2>/dev/null || true;; esac
  sleep 1
done
echo "slurm.sh: the node did not become idle (sinfo: $(sinfo 2>&1 | tail -n 2))" >&2
exit 1
