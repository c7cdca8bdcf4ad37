#!/usr/bin/env bash
# Kill soak (SPEC S2, S6): start a headless run on a batch, kill it with SIGKILL at a random
# moment, and check the database after every round: integrity_check is ok, no task is lost or
# duplicated, and every task that was seen finished stays finished with the same state. A last
# run without a kill must finish every task.
#
# Usage: tests/soak/kill-soak.sh WORKDECK_BINARY [ROUNDS] [TASKS]
#   ROUNDS defaults to 20, TASKS to 20000. CI runs a short version (see tests/CMakeLists.txt).
set -euo pipefail

workdeck=${1:?usage: kill-soak.sh WORKDECK_BINARY [ROUNDS] [TASKS]}
rounds=${2:-20}
tasks=${3:-20000}
command -v sqlite3 >/dev/null || { echo "kill-soak: sqlite3 is needed (apt-get install sqlite3)" >&2; exit 2; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db=$dir/soak.sqlite
batch=$dir/batch.jsonl
export QT_QPA_PLATFORM=offscreen

# Short tasks of every priority; one in ten fails once and is retried (no backoff wait: the
# batch's own retries use the default backoff, so keep them few and the base small below).
awk -v n="$tasks" 'BEGIN {
    for (i = 0; i < n; i++) {
        fail = (i % 10 == 0) ? 1 : 0
        printf "{\"duration_ms\":%d,\"priority\":%d,\"fail_attempts\":%d,\"max_retries\":%d}\n", i % 3, i % 256, fail, fail
    }
}' > "$batch"

sql() { sqlite3 -batch -noheader "$db" "$1"; }

# Whether the schema is there: a kill during the first start can come before it is created.
has_tasks() { [[ -f $db && $(sql "SELECT count(*) FROM sqlite_schema WHERE name = 'tasks';") -eq 1 ]]; }

# "id state" of every finished task, sorted as comm wants it.
finished() { sql "SELECT id || ' ' || state FROM tasks WHERE state IN ('succeeded','failed','cancelled');" | LC_ALL=C sort; }

fail() { echo "kill-soak: round $round: $*" >&2; exit 1; }

check() {
    local integrity total distinct
    integrity=$(sql "PRAGMA integrity_check;")
    [[ $integrity == ok ]] || fail "integrity_check: $integrity"
    if ! has_tasks; then
        [[ ! -s $dir/finished.txt ]] || fail "the tasks are gone from the database"
        return
    fi
    total=$(sql "SELECT count(*) FROM tasks;")
    distinct=$(sql "SELECT count(DISTINCT uuid) FROM tasks;")
    [[ $total -eq 0 || $total -eq $tasks ]] || fail "$total tasks stored, expected 0 or $tasks (a batch is all or nothing)"
    [[ $distinct -eq $total ]] || fail "$((total - distinct)) tasks stored twice"
    # Every task that was finished before must still be finished the same way.
    if [[ -s $dir/finished.txt ]]; then
        finished > "$dir/now.txt"
        local lost
        lost=$(LC_ALL=C comm -23 "$dir/finished.txt" "$dir/now.txt" | head -5)
        [[ -z $lost ]] || fail "finished tasks changed or lost: $lost"
    fi
    finished > "$dir/finished.txt"
}

round=0
for ((round = 1; round <= rounds; round++)); do
    args=(--db "$db" --headless --workers 2)
    # The batch is imported until one round manages to store it (a kill may come first).
    if ! has_tasks || [[ $(sql "SELECT count(*) FROM tasks;") -eq 0 ]]; then
        args+=(--batch "$batch")
    fi
    "$workdeck" "${args[@]}" > "$dir/out.txt" 2> "$dir/err.txt" &
    pid=$!
    # A random moment between 0.05 and 1.5 s: before, during and after the import.
    sleep "$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.3f", 0.05 + rand() * 1.45 }')"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    check
    if has_tasks; then
        echo "kill-soak: round $round: $(sql "SELECT group_concat(state || '=' || n, ' ') FROM (SELECT state, count(*) n FROM tasks GROUP BY state);")"
    fi
done

# The last run goes to the end.
args=(--db "$db" --headless --workers 2)
if ! has_tasks || [[ $(sql "SELECT count(*) FROM tasks;") -eq 0 ]]; then args+=(--batch "$batch"); fi
status=0
"$workdeck" "${args[@]}" > "$dir/out.txt" 2> "$dir/err.txt" || status=$?
[[ $status -eq 0 || $status -eq 1 ]] || fail "the final run exited with $status: $(cat "$dir/err.txt")"
check
left=$(sql "SELECT count(*) FROM tasks WHERE state NOT IN ('succeeded','failed','cancelled');")
[[ $left -eq 0 ]] || fail "$left tasks never finished"
[[ $(sql "SELECT count(*) FROM tasks;") -eq $tasks ]] || fail "tasks lost"
echo "kill-soak: $rounds rounds, $tasks tasks: every task finished, none lost or repeated, integrity ok"
