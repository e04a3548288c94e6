# Sourced by scripts/local-kafka.sh and scripts/local-flink.sh: what both need to run a service from
# Maven artifacts. Needs POM, CP_CACHE and the caller's note/die functions.

# The classpath of the throw-away pom's dependencies, resolved with Maven once and cached, so later
# starts need no network. $1 names what is resolved, for messages.
maven_classpath() {
  local what="$1"
  if [ -f "$CP_CACHE" ]; then
    local cp missing=""
    cp="$(cat "$CP_CACHE")"
    IFS=':' read -r -a jars <<<"$cp"
    for j in "${jars[@]}"; do [ -f "$j" ] || { missing="$j"; break; }; done
    if [ -z "$missing" ]; then echo "$cp"; return; fi
    note "cached classpath names a missing jar ($missing); resolving again"
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn (Maven) is needed once to fetch the $what jars; it is not on PATH"
  mkdir -p "$(dirname "$CP_CACHE")"
  local args=(-B -q -Dstyle.color=never -f "$POM" dependency:build-classpath "-Dmdep.outputFile=$CP_CACHE.tmp")
  if ! mvn -o "${args[@]}" >/dev/null 2>&1; then
    note "resolving $what from Maven Central (first run only) ..."
    mvn "${args[@]}" 1>&2 || die "could not resolve $what with Maven (offline and no cached jars?)"
  fi
  mv "$CP_CACHE.tmp" "$CP_CACHE"
  cat "$CP_CACHE"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Stops pid $1: SIGTERM, then SIGKILL when it has not exited within 30 s.
stop_pid() {
  local pid="$1"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    note "pid $pid did not stop within 30 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
}
