#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine for parley's Slurm
# integration test (internal/cli/slurm_test.go), as root, and prints the
# environment that test reads:
#
#   eval "$(.ci/slurm.sh)"      # prints: export PARLEY_TEST_SLURM=1
#   .ci/slurm.sh stop           # stops the daemons it started, by their pid files
#
# It installs slurm-wlm and munge (Debian) only when they are missing, starts
# munged, writes /etc/slurm/slurm.conf, starts slurmctld and slurmd and waits
# until the node is idle. Running it again while the cluster is up changes
# nothing. Everything but the final export line goes to standard error, and
# the same line is written to /tmp/parley-slurm.env. Without root, or when the cluster
# does not come up, it prints nothing on standard output and exits 1, so the
# test skips (or, under CI=true, fails and says why).
set -euo pipefail

log() { echo "slurm.sh: $*" >&2; }
envfile=/tmp/parley-slurm.env

pidfiles=(/run/slurmd.pid /run/slurmctld.pid /run/munge/munged.pid)

# alive PIDFILE: is the process named in PIDFILE running?
alive() { [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

if [[ "${1:-}" == "stop" ]]; then
	for f in "${pidfiles[@]}"; do
		if alive "$f"; then
			log "stopping $(cat "$f") ($f)"
			kill "$(cat "$f")"
		fi
	done
	rm -f "$envfile"
	exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
	log "needs root to start munged, slurmctld and slurmd; not starting a cluster"
	exit 1
fi

# idle: does sinfo report the node idle (or running jobs)?
idle() { sinfo -h -o %T 2>/dev/null | grep -Eqx 'idle|mixed|allocated'; }

if command -v sinfo >/dev/null && alive /run/slurmctld.pid && alive /run/slurmd.pid && idle; then
	log "the cluster is already up"
	echo "export PARLEY_TEST_SLURM=1" | tee "$envfile"
	exit 0
fi

if ! command -v sbatch >/dev/null || ! command -v slurmd >/dev/null || ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
	log "installing slurm-wlm and munge"
	apt-get update >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge >&2
fi

# munge: the key, its directories, the daemon
mkdir -p /run/munge /var/lib/munge /var/log/munge /etc/munge
chown munge:munge /run/munge /var/lib/munge /var/log/munge
chmod 0755 /run/munge
if [[ ! -s /etc/munge/munge.key ]]; then
	dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
if ! alive /run/munge/munged.pid; then
	log "starting munged"
	runuser -u munge -- /usr/sbin/munged >&2
fi
for _ in $(seq 1 20); do
	munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
	sleep 0.25
done
if ! munge -n | unmunge >/dev/null; then
	log "munge does not round-trip a credential"
	exit 1
fi

# slurm.conf for one node with this machine's CPUs and memory (less than
# slurmd -C reports, or slurmd refuses the node)
host="$(hostname -s)"
cpus="$(nproc)"
mem="$(awk '/MemTotal/{print int($2/1024)-512}' /proc/meminfo)"
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
conf="$(
	cat <<EOF
# Written by parley's .ci/slurm.sh: a one-node cluster for the integration test.
ClusterName=local
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
MailProg=/bin/true
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
)"
if [[ ! -f /etc/slurm/slurm.conf ]] || [[ "$(cat /etc/slurm/slurm.conf)" != "$conf" ]]; then
	if [[ -f /etc/slurm/slurm.conf ]] && ! grep -q "parley's .ci/slurm.sh" /etc/slurm/slurm.conf; then
		log "keeping the existing /etc/slurm/slurm.conf as /etc/slurm/slurm.conf.before-parley"
		cp -n /etc/slurm/slurm.conf /etc/slurm/slurm.conf.before-parley
	fi
	printf '%s\n' "$conf" >/etc/slurm/slurm.conf
	# a daemon running with another configuration is restarted below
	for f in /run/slurmd.pid /run/slurmctld.pid; do
		if alive "$f"; then
			log "restarting $(cat "$f") ($f) for the new slurm.conf"
			kill "$(cat "$f")"
			for _ in $(seq 1 40); do alive "$f" || break; sleep 0.25; done
		fi
	done
fi

if ! alive /run/slurmctld.pid; then
	log "starting slurmctld"
	/usr/sbin/slurmctld -c >&2 # -c: ignore the saved state of earlier runs
fi
if ! alive /run/slurmd.pid; then
	log "starting slurmd"
	/usr/sbin/slurmd >&2
fi

for _ in $(seq 1 120); do
	idle && break
	sleep 0.5
done
if ! idle; then
	log "the node did not become idle in 60 s; sinfo says:"
	sinfo >&2 || true
	log "see /var/log/slurm/slurmctld.log and /var/log/slurm/slurmd.log"
	exit 1
fi
log "the cluster is up: $(sinfo -h -o '%P %D %T %c CPUs')"
echo "export PARLEY_TEST_SLURM=1" | tee "$envfile"
