#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster for parley's tests and says how to
# reach it. Run as root on a machine that will be thrown away (CI):
#
#   .ci/postgres.sh [ENVFILE]
#
# It installs Debian's postgresql package if initdb is missing, creates a
# cluster under /tmp/parley-pg (once), starts it on 127.0.0.1:55432 unless it
# is already running there, waits until it accepts connections, and then
# writes an `export PARLEY_TEST_POSTGRES=...` line to ENVFILE (default
# /tmp/parley-postgres.env) and prints it. Running it again reuses the same
# cluster and password and prints the same line. It never stops the server.
#
# TCP connections need the password (scram-sha-256), so that the tests of a
# wrong password mean something; the password is made once, at random, and
# kept in /tmp/parley-pg/password.
#
# PARLEY_PG_PORT and PARLEY_PG_DIR override the port and the directory.
set -euo pipefail

port="${PARLEY_PG_PORT:-55432}"
base="${PARLEY_PG_DIR:-/tmp/parley-pg}"
envfile="${1:-/tmp/parley-postgres.env}"
bin=/usr/lib/postgresql/15/bin

say() { echo "postgres.sh: $*" >&2; }

if [[ "$(id -u)" != 0 ]]; then
	say "run me as root (I create a cluster owned by the postgres user)"
	exit 2
fi

if [[ ! -x "$bin/initdb" ]]; then
	say "installing PostgreSQL 15 (apt-get)"
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
fi
if [[ ! -x "$bin/initdb" ]]; then
	say "$bin/initdb is still missing after installing postgresql: is this Debian 12 (PostgreSQL 15)?"
	exit 1
fi
if ! id postgres >/dev/null 2>&1; then
	say "there is no postgres user; the postgresql package should have made one"
	exit 1
fi

pg() { runuser -u postgres -- "$@"; }

install -d -m 0755 "$base"
data="$base/data" sock="$base/sock" pwfile="$base/password" log="$base/log/server.log"

if [[ ! -s "$pwfile" ]]; then
	umask 077
	od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$pwfile.tmp"
	chown postgres "$pwfile.tmp"
	mv "$pwfile.tmp" "$pwfile"
	umask 022
fi
password="$(cat "$pwfile")"

if [[ ! -s "$data/PG_VERSION" ]]; then
	say "creating a cluster in $data"
	rm -rf "$data"
	install -d -o postgres -m 0700 "$data"
	pg "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C \
		--auth-local=trust --auth-host=scram-sha-256 --pwfile="$pwfile" >"$base/initdb.log"
fi
install -d -o postgres -m 0755 "$sock" "$base/log"

if pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
	say "the cluster in $data is already running"
else
	say "starting PostgreSQL on 127.0.0.1:$port"
	if ! pg "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start \
		-o "-p $port -k $sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >&2; then
		say "the server did not start; its log, $log, ends with:"
		tail -n 20 "$log" >&2 || true
		exit 1
	fi
fi

# pg_ctl -w has waited for the socket; wait for TCP too.
for _ in $(seq 1 120); do
	if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
		break
	fi
	sleep 0.25
done
if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
	say "the server does not answer on 127.0.0.1:$port (log: $log)"
	exit 1
fi

line="export PARLEY_TEST_POSTGRES='postgres://postgres:$password@127.0.0.1:$port/postgres?sslmode=disable'"
printf '%s\n' "$line" >"$envfile.tmp"
mv "$envfile.tmp" "$envfile"
say "PostgreSQL is up; the variables are in $envfile"
printf '%s\n' "$line"
