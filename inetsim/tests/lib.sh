# Shared by the INetSim tests (sourced). They run Debian's real INetSim 1.3.2 from throw-away copies of its Perl
# modules (stock, or patched with ../apply.sh), on loopback addresses and high ports, and stop everything they
# started when they exit. Nothing under /usr/share/perl5 or /etc/inetsim is touched.
#
# Isolation: INetSim keeps its configuration in a SysV shared-memory segment named "CNFG", one per host, so two
# INetSim processes clobber each other's settings. The copies get their own segment name (a one-line change to
# the copy of Config.pm), so the tests also work on a host where the system INetSim is running.
set -euo pipefail

INETSIM_TESTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
INETSIM_DIR="$(dirname "$INETSIM_TESTS_DIR")"
STOCK_PERL5=/usr/share/perl5
SKIP=77

WORK=""
STARTED=()          # main PIDs of the INetSim instances this test started
declare -A LOG_OF   # main PID => its main.log
CHECKS=0
FAILED=0

say() { printf '%s\n' "$*"; }
skip() { say "SKIP: $*"; exit "$SKIP"; }
die() { say "ERROR: $*"; exit 1; }

# check <description> <actual> <expected>
check() {
  CHECKS=$((CHECKS + 1))
  if [ "$2" == "$3" ]; then
    say "ok   $1"
  else
    FAILED=$((FAILED + 1))
    say "FAIL $1"
    say "     expected: $(printf '%q' "$3")"
    say "     got:      $(printf '%q' "$2")"
  fi
}

# check_true <description> <command...>: passes when the command succeeds
check_true() {
  local what="$1"; shift
  CHECKS=$((CHECKS + 1))
  if "$@"; then say "ok   $what"; else FAILED=$((FAILED + 1)); say "FAIL $what"; fi
}

finish() {
  say "$CHECKS checks, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}

# Root, the INetSim package and the client tools; the inetsim_setup test installs them.
require_environment() {
  [ "$(id -u)" -eq 0 ] || skip "INetSim refuses to start without root (it drops to user 'inetsim' itself)"
  [ -f "$STOCK_PERL5/INetSim.pm" ] && [ -x /usr/bin/inetsim ] || die "Debian's inetsim is not installed (scripts/install-deps.sh installs it)"
  local tool
  for tool in perl dig curl patch timeout setsid; do
    command -v "$tool" >/dev/null || die "'$tool' is missing (scripts/install-deps.sh installs it)"
  done
  getent passwd inetsim >/dev/null || die "user 'inetsim' is missing (created by Debian's inetsim package)"
}

cleanup() {
  local pid
  for pid in "${STARTED[@]}"; do stop_pid "$pid"; done
  if [ -n "$WORK" ] && [ -z "${KEEP_WORK:-}" ]; then rm -rf "$WORK"; fi
}

new_workdir() {
  WORK="$(mktemp -d /tmp/alcape-inetsim-test.XXXXXX)"
  chmod 755 "$WORK"       # the services run as user 'inetsim' and must reach their data and logs
  trap cleanup EXIT
  trap 'exit 1' INT TERM
}

# make_lib <dir> [patch options for apply.sh | "stock"]: a private copy of INetSim's modules
make_lib() {
  local dir="$1"; shift
  mkdir -p "$dir"
  cp -a "$STOCK_PERL5/INetSim.pm" "$STOCK_PERL5/INetSim" "$dir/"
  if [ "${1:-}" != stock ]; then
    "$INETSIM_DIR/apply.sh" --prefix "$dir" "$@" >/dev/null
  fi
  # own shared-memory segment name (see the top of this file)
  sed -i "s/\"CNFG\"/\"CNFG-alcape-test-$$-$(basename "$dir")\"/" "$dir/INetSim/Config.pm"
  grep -q "CNFG-alcape-test-$$" "$dir/INetSim/Config.pm" || die "could not isolate the configuration segment of $dir"
}

# start_inetsim <name> <lib dir> <config text>: starts INetSim with that configuration; sets INST_DIR and
# INST_PID. Waits (at most 30 s) until every configured service has logged that it started (the main process
# adds a fixed 2 s pause before its own "Simulation running").
start_inetsim() {
  local name="$1" lib="$2" config="$3"
  INST_DIR="$WORK/$name"
  mkdir -p "$INST_DIR/log/report"
  if [ -d /var/lib/inetsim/http ]; then cp -a /var/lib/inetsim "$INST_DIR/data"; else cp -a /usr/share/inetsim/data "$INST_DIR/data"; fi
  printf '%s\ncreate_reports no\n' "$config" > "$INST_DIR/inetsim.conf"
  chown -R inetsim:inetsim "$INST_DIR"
  chmod 755 "$INST_DIR"
  # setsid: its own process group, so that stopping it can never reach the test's own processes
  setsid perl -Tw -I"$lib" /usr/bin/inetsim --config="$INST_DIR/inetsim.conf" --data-dir="$INST_DIR/data/" \
    --log-dir="$INST_DIR/log/" --report-dir="$INST_DIR/log/report/" --pidfile="$INST_DIR/inetsim.pid" \
    > "$INST_DIR/stdout" 2>&1 < /dev/null &
  local pid=$!
  STARTED+=("$pid")
  LOG_OF[$pid]="$INST_DIR/log/main.log"
  local i services up
  services="$(grep -c '^start_service' "$INST_DIR/inetsim.conf")"
  for i in $(seq 1 60); do
    up="$(grep -c '\* [a-z0-9_]* started (PID' "$INST_DIR/log/main.log" 2>/dev/null || true)"
    if [ "${up:-0}" -ge "$services" ]; then
      INST_PID="$pid"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  say "--- INetSim '$name' did not come up; its output:"
  cat "$INST_DIR/stdout" "$INST_DIR/log/main.log" 2>/dev/null || true
  die "INetSim '$name' did not start"
}

# group_alive <pgid>: some process of that group is still running (zombies do not count). Reads /proc directly,
# so that the tests do not need procps.
group_alive() {
  local stat fields state pgrp
  for stat in /proc/[0-9]*/stat; do
    { read -r fields < "$stat"; } 2>/dev/null || continue
    fields="${fields##*) }"                       # after "pid (comm) ": state ppid pgrp ...
    read -r state _ pgrp _ <<< "$fields"
    if [ "$pgrp" = "$1" ] && [ "$state" != Z ]; then return 0; fi
  done
  return 1
}

# stop_pid <main pid>: TERM to INetSim's main process (it stops its services), KILL to its group after 10 s.
# The main process ignores TERM until its start-up is over ("Simulation running"), so that is awaited first.
stop_pid() {
  local pid="$1" i
  for i in $(seq 1 20); do
    grep -q "Simulation running" "${LOG_OF[$pid]:-/nonexistent}" 2>/dev/null && break
    group_alive "$pid" || break
    sleep 0.5
  done
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 20); do
    group_alive "$pid" || break
    sleep 0.5
  done
  if group_alive "$pid"; then
    say "warning: INetSim $pid did not stop within 10 s; killing its process group"
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    remove_ipc_of "$pid"
  fi
  wait "$pid" 2>/dev/null || true
}

# remove_ipc_of <pid>: a killed INetSim cannot remove its configuration's shared-memory segments and semaphores
# (IPC::Shareable does that at exit); remove the ones that process created
remove_ipc_of() {
  local shmid key semid
  for shmid in $(ipcs -m -p 2>/dev/null | awk -v p="$1" '$3 == p { print $1 }'); do
    key="$(ipcs -m 2>/dev/null | awk -v id="$shmid" '$2 == id { print $1 }')"
    ipcrm -m "$shmid" 2>/dev/null || true
    semid="$(ipcs -s 2>/dev/null | awk -v k="$key" '$1 == k { print $2 }')"
    if [ -n "$key" ] && [ -n "$semid" ]; then ipcrm -s "$semid" 2>/dev/null || true; fi
  done
}

# stop_inetsim: stops the instance started last
stop_inetsim() {
  stop_pid "$INST_PID"
  local pid rest=()
  for pid in "${STARTED[@]}"; do [ "$pid" = "$INST_PID" ] || rest+=("$pid"); done
  STARTED=("${rest[@]}")
}

# run_inetsim_config <lib dir> <config text>: runs INetSim expecting it to reject the configuration; prints
# its output. Bounded to 30 s; if it does start after all, it is stopped.
run_inetsim_config() {
  local lib="$1" config="$2"
  local dir
  dir="$(mktemp -d "$WORK/cfg.XXXXXX")"
  mkdir -p "$dir/log/report"
  printf '%s\n' "$config" > "$dir/inetsim.conf"
  chown -R inetsim:inetsim "$dir"
  chmod 755 "$dir"
  local rc=0
  setsid timeout 30 perl -Tw -I"$lib" /usr/bin/inetsim --config="$dir/inetsim.conf" --data-dir="$dir/" \
    --log-dir="$dir/log/" --report-dir="$dir/log/report/" --pidfile="$dir/inetsim.pid" \
    > "$dir/stdout" 2>&1 < /dev/null || rc=$?
  cat "$dir/stdout"
  echo "exit status $rc"
}

# dns <address> <port> <dig arguments...>: the short answer, one record per line, bounded to 2 s per try
dns() {
  local addr="$1" port="$2"; shift 2
  dig +short +time=2 +tries=2 -p "$port" "@$addr" "$@" 2>&1 || true
}

# dns_table <address> <port> <dig arguments...>: "owner type data" for each answer record of several queries
# asked in one dig run (e.g. "a.example A b.example A"); owner names lower case without the final dot
dns_table() {
  local addr="$1" port="$2"; shift 2
  dig +noall +answer +time=2 +tries=2 -p "$port" "@$addr" "$@" 2>&1 |
    awk '{ owner = tolower($1); sub(/\.$/, "", owner); print owner, $4, $5 }' || true
}

# http <address:port> <curl arguments...>: the response body, bounded to 5 s
http() {
  local target="$1"; shift
  curl -s --max-time 5 "$@" "http://$target" 2>&1 || true
}

# The greeting of a TCP service (e.g. SMTP), bounded to 5 s
tcp_banner() {
  timeout 5 bash -c "exec 3<>/dev/tcp/$1/$2; head -n 1 <&3" 2>/dev/null | tr -d '\r' || true
}
