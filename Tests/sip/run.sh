#!/usr/bin/env bash
# The SIP end-to-end tests: SIPp calls `hotline serve --sip` on 127.0.0.1 and the results are checked
# on the wire and in the database. Run from the repository root:
#
#   Tests/sip/run.sh [path/to/hotline]
#
# Needs sipp (sip-tester) and python3 (`make deps` installs them). Loopback only; every process is
# bounded in time and stopped at the end. Prints one line per check and "N passed, N failed"; the
# exit status is 1 when anything failed.
set -u

BIN=${1:-.build/debug/hotline}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/hotline-sip.XXXXXX)
# Which test owns which port: NAME OFFSET COUNT — the ports BASE+OFFSET … BASE+OFFSET+COUNT-1 are
# that name's alone (SIPp's media port -mp takes four: RTP and RTCP for audio and video; baresip's
# SIP port two: SIP and TLS). A test takes its ports by name (${PORT[main]}), never as BASE plus a
# number of its own; the table is checked at start, so two tests never share a port.
PORTS="
rfc4733        1  1   line: the reference escalation call, keys as RFC 4733
info           2  1   line: the reference escalation call, keys as SIP INFO
main           3  1   line: the short checks, one after the other
softphone      4  1   line: baresip calls it
guarded        5  1   line: --max-calls 1 --flood-rate 5
softphone2     6  1   line: baresip's second try, on a quiet line
pagerack       7  1   line: a page baresip acknowledges
pagerclimb     8  1   line: a page nobody acknowledges
rtp_check      9  1   rtp-check.py listens for the line's RTP
transfer      10  1   line: transfer-flow.yaml (REFER)
sipp_rfc4733  11  1   SIPp: the RFC 4733 escalation call
sipp_info     12  1   SIPp: the SIP INFO escalation call
sipp_short    13  1   SIPp: the short checks on main and transfer, one at a time
sipp_load     14  1   SIPp: 100 calls at once
sipp_tcp      15  1   SIPp: the call over TCP
sipp_guarded  16  1   SIPp: the call up on the guarded line
sipp_busy     17  1   SIPp: the second call on the guarded line (486)
sipp_silent   18  1   SIPp: the transfer nobody NOTIFYs
phone         20  2   baresip calling the softphone line (SIP, TLS)
phone2        22  2   baresip's second try (SIP, TLS)
phone_ack     26  2   baresip answering the acknowledged page (SIP, TLS)
phone_climb   28  2   baresip answering the page that climbs (SIP, TLS)
queued        30  1   line: a caller held in a queue (hotline queues --db)
sipp_queued   31  1   SIPp: the queued caller
branch        32  1   line: transfer-branch-flow.yaml (on_failure)
sipp_branch   33  1   SIPp: the transfer that takes the failure branch
redirect      34  1   line: priority-line.yaml (302 before the answer)
sipp_redirect 35  1   SIPp: the redirected caller
agents        36  1   line: an agent's SIP phone from the agents file
sipp_agents   37  1   SIPp: the caller handed to that agent
away          38  1   line: the queue with nobody free (hold audio)
sipp_away     39  1   SIPp: the caller held in that queue
rtp_hold      40  1   rtp-check.py listens for the hold audio
lateredirect  41  1   line: late-redirect-flow.yaml (a redirect after the answer: REFER)
sipp_lateredirect 42 1 SIPp: the caller transferred by REFER instead
named         43  1   line: named-flow.yaml with --destinations (a name redirected by 302)
sipp_named    44  1   SIPp: the caller redirected to a named destination
queuename     45  1   line: queue-name-flow.yaml (a queue's contact: REFER)
sipp_queuename 46 1   SIPp: the caller transferred to the queue's contact
unmapped      47  1   line: queue-name-flow.yaml, no queue contact (480, never answered)
sipp_unmapped 48  1   SIPp: the caller refused while ringing
media_rfc4733 100 4   SIPp media
media_info    120 4   SIPp media
media_short   140 4   SIPp media
media_load    160 4   SIPp media
media_tcp     180 4   SIPp media
media_guarded 200 4   SIPp media
media_busy    220 4   SIPp media
media_silent  240 4   SIPp media
media_queued  260 4   SIPp media
media_branch  280 4   SIPp media
media_redirect 300 4  SIPp media
media_agents  320 4   SIPp media
media_away    340 4   SIPp media
media_lateredirect 360 4 SIPp media
media_named   364 4   SIPp media
media_queuename 368 4 SIPp media
media_unmapped 372 4  SIPp media
"
# The table's ports as PORT[name]; refuses a name twice, ports shared by two names, or a span past
# the window one run takes (WINDOW ports from BASE).
WINDOW=400
declare -A PORT
port_table_ok() {
    local name offset count rest owner=() i
    while read -r name offset count rest; do
        [ -n "$name" ] || continue
        [ -z "${PORT[$name]:-}" ] || { echo "Tests/sip: port table: '$name' twice"; return 1; }
        [ $((offset + count)) -le $WINDOW ] || { echo "Tests/sip: port table: '$name' ends past the window of $WINDOW ports"; return 1; }
        for ((i = offset; i < offset + count; i++)); do
            [ -z "${owner[$i]:-}" ] || { echo "Tests/sip: port table: BASE+$i belongs to '${owner[$i]}' and '$name'"; return 1; }
            owner[$i]=$name
        done
        PORT[$name]=$((BASE + offset))
    done <<<"$PORTS"
}
# SIP ports away from the line's RTP range (20000-39999), a window of its own for each run.
BASE=$((41000 + (RANDOM % 60) * WINDOW))
port_table_ok || { rm -rf "$WORK"; echo "0 passed, 1 failed"; exit 1; }
LINE="+1-844-751-7629"
SERVICE=18447517629
passed=0
failed=0
pids=()

cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

for tool in sipp python3; do
    command -v "$tool" >/dev/null || { echo "Tests/sip: $tool is missing (fix: make deps)"; echo "0 passed, 1 failed"; exit 1; }
done
ln -s /usr/share/sip-tester "$WORK/pcap"

check() {
    local name=$1
    shift
    if "$@"; then
        echo "  ok    $name"
        passed=$((passed + 1))
    else
        echo "  FAIL  $name"
        failed=$((failed + 1))
    fi
}

# start_line NAME PORT [options…]: `hotline serve --sip` in the background; waits until it listens.
start_line() {
    local name=$1 port=$2
    shift 2
    "$BIN" serve --sip "127.0.0.1:$port" --db "$WORK/$name.sqlite" --stop-after 240 "$@" >"$WORK/$name.log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    eval "${name}_pid=$pid"
    for _ in $(seq 1 200); do
        grep -q "Hotline answers" "$WORK/$name.log" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "  the line '$name' did not start:"
    sed 's/^/    /' "$WORK/$name.log"
    return 1
}

# call SCENARIO PORT LOCALPORT MEDIAPORT [sipp options…]: one SIPp run, bounded; status 0 when it passed.
call() {
    local scenario=$1 port=$2 local=$3 media=$4
    shift 4
    (cd "$WORK" && timeout 150 sipp -sf "$HERE/$scenario.xml" -s "$SERVICE" "127.0.0.1:$port" -i 127.0.0.1 -p "$local" -mp "$media" \
        -m 1 -nostdin -timeout 120s -timeout_error -trace_err -error_file "$WORK/$scenario-$local.errors" "$@" >"$WORK/$scenario-$local.out" 2>&1)
}

# sql DB QUERY: one value from the line's database.
sql() {
    python3 -c 'import sqlite3, sys; row = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("" if row is None else row[0])' "$WORK/$1.sqlite" "$2"
}

softphone_escalated() {  # DB: the softphone's call (baresip's own Call-ID) escalated the case
    [ "$(sql "$1" "SELECT outcome || ' ' || case_number || ' ' || caller_id FROM call_record WHERE sip_call_id IS NOT NULL")" = "completed 00345678 +14085550100" ] &&
        [ "$(sql "$1" "SELECT count(*) FROM case_feed WHERE case_number = '00345678' AND kind = 'escalation' AND channel = 'phone'")" = 1 ] &&
        [ "$(sql "$1" "SELECT count(*) FROM oncall_page p JOIN oncall_escalation e ON e.id = p.escalation_id WHERE e.case_number = '00345678'")" -ge 1 ]
}

escalated() {  # DB CALLID
    [ "$(sql "$1" "SELECT outcome || ' ' || case_number FROM call_record WHERE sip_call_id = '$2'")" = "completed 00345678" ] &&
        [ "$(sql "$1" "SELECT count(*) FROM case_feed WHERE case_number = '00345678' AND kind = 'escalation' AND channel = 'phone'")" = 1 ] &&
        [ "$(sql "$1" "SELECT count(*) FROM oncall_page p JOIN oncall_escalation e ON e.id = p.escalation_id WHERE e.case_number = '00345678'")" -ge 1 ]
}

echo "SIP end to end (hotline serve --sip on 127.0.0.1:$BASE…; work folder $WORK)"
table_refuses_a_shared_port() {  # the check above, on a table where two names share BASE+2
    (PORTS=$'one 1 2 first\ntwo 2 1 second'; PORT=(); port_table_ok >/dev/null) && return 1 || return 0
}
check "the port table: every port has one owner (a table sharing one is refused)" table_refuses_a_shared_port

# The two reference escalation calls take ~40 s each (the prompts play in real time): run them on
# their own lines while the short checks run on a third.
start_line rfc4733 ${PORT[rfc4733]} || exit 1
start_line info ${PORT[info]} || exit 1
call escalation-rfc4733 ${PORT[rfc4733]} ${PORT[sipp_rfc4733]} ${PORT[media_rfc4733]} -cid_str "rfc4733-%u@hotline-test" &
rfc4733_call=$!
call escalation-info ${PORT[info]} ${PORT[sipp_info]} ${PORT[media_info]} -cid_str "info-%u@hotline-test" &
info_call=$!
# The transfer line (see "Blind transfer" below); a caller that accepts the REFER and never sends
# NOTIFY waits 32 s for the line's BYE: it runs beside the long calls.
start_line transfer ${PORT[transfer]} --flow "$HERE/transfer-flow.yaml" --ring 1 || exit 1
call transfer-silent ${PORT[transfer]} ${PORT[sipp_silent]} ${PORT[media_silent]} -cid_str "xfer-silent-%u@hotline-test" &
silent_transfer_call=$!

# `hotline queues --db`: a caller held in customer-care's queue shows there with its Call-ID while it
# waits (a few seconds, until the line's router answers it and the line hangs up).
start_line queued ${PORT[queued]} || exit 1
call queued-call ${PORT[queued]} ${PORT[sipp_queued]} ${PORT[media_queued]} -cid_str "queued-%u@hotline-test" &
queued_call=$!
queues_seen() {  # the text and the JSON view each caught the call in its queue, while it waited
    local text=no json=no until=$((SECONDS + 60))
    while [ $SECONDS -lt $until ] && { [ $text = no ] || [ $json = no ]; }; do
        if [ $text = no ]; then
            "$BIN" queues --db "$WORK/queued.sqlite" >"$WORK/queues.out" 2>&1
            grep -q "^customer-care: 1 waiting" "$WORK/queues.out" && text=yes
        fi
        if [ $json = no ]; then
            "$BIN" queues --db "$WORK/queued.sqlite" --json >"$WORK/queues.json" 2>&1
            python3 -c 'import json, sys; calls = json.load(open(sys.argv[1])); sys.exit(0 if any(c.get("queue") == "customer-care" and c.get("sip_call_id") == "queued-1@hotline-test" and c.get("channel") == "sip" for c in calls) else 1)' "$WORK/queues.json" 2>/dev/null && json=yes
        fi
        kill -0 $queued_call 2>/dev/null || break
        sleep 0.2
    done
    [ $text = yes ] && [ $json = yes ] || { echo "        text $text, json $json: $(head -c 400 "$WORK/queues.out")"; return 1; }
}
check "hotline queues --db: a SIP caller held in a queue, text and JSON" queues_seen
check "  … with its Call-ID and node" grep -q "  1. sip  +14085550100  Call-ID queued-1@hotline-test  at cc_queue  wait " "$WORK/queues.out"

# A real softphone: baresip dials the line, hears the welcome and presses 1 (RFC 4733) during the
# main menu (it starts 11.7 s into the call and lasts 22.8 s; barge-in is on).
# softphone NAME LINE-PORT LISTEN-PORT: baresip in $WORK/NAME dials the line on LINE-PORT.
softphone() {
    local folder="$WORK/$1" line=$2 listen=$3
    mkdir -p "$folder"
    python3 -c 'import wave, sys; w = wave.open(sys.argv[1], "wb"); w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000); w.writeframes(bytes(2 * 8000 * 40)); w.close()' "$folder/silence.wav"
    cat >"$folder/config" <<EOF
poll_method epoll
sip_listen 127.0.0.1:$listen
net_interface 127.0.0.1
audio_source aufile,$folder/silence.wav
module_path /usr/lib/baresip/modules
module stdio.so
module g711.so
module aufile.so
module sndfile.so
module_app account.so
module_app menu.so
EOF
    # Dana Whitfield's number, as SIPp's reference call sends it: the line looks her up by it.
    echo "\"Dana Whitfield\" <sip:+14085550100@127.0.0.1>;regint=0" >"$folder/accounts"
    : >"$folder/contacts"
    # The reference escalation call, keyed as SIPp's (escalation-rfc4733.xml) is, but timed from
    # baresip's "Call established", not from its start (a slow start or a slow answer on a loaded
    # machine must not move a key out of its menu): 1 in the main menu (after the welcome), 1 for
    # an Escalation Manager, then the case number 00345678. baresip sends the keys as RFC 4733; the
    # line then reads the case back, records the escalation, pages the manager and hangs up.
    (for _ in $(seq 1 300); do grep -q "Call established" "$folder.out" 2>/dev/null && break; sleep 0.1; done
        sleep 14; printf '1'; sleep 2; printf '1'; sleep 2
        for key in 0 0 3 4 5 6 7 8; do printf '%s' $key; sleep 0.5; done
        sleep 40) | (cd "$folder" && timeout 90 baresip -f "$folder" -e "/dial sip:$SERVICE@127.0.0.1:$line" -t 75 >"$folder.out" 2>&1)
}
# softphone_heard NAME: the line of $WORK/NAME.log took key 1 from baresip in $WORK/NAME, and
# what baresip recorded is the welcome prompt (the comparison is written to $WORK/heard.out).
softphone_heard() {
    grep -q "press   1" "$WORK/$1.log" || { echo "the line took no key 1" >"$WORK/heard.out"; return 1; }
    local heard
    heard=$(ls "$WORK/$1"/dump-*-dec.wav 2>/dev/null | head -n 1)
    python3 "$HERE/heard-check.py" "${heard:-/nonexistent}" Prompts/en-US/gsc.welcome.wav >"$WORK/heard.out" 2>&1
}
if command -v baresip >/dev/null; then
    start_line softphone ${PORT[softphone]} || exit 1
    softphone softphone ${PORT[softphone]} ${PORT[phone]} &
    softphone_call=$!
fi

# The page rings the manager's SIP phone: a rota whose manager has a SIP contact (baresip, answering
# by itself on its own port, registered nowhere) and a policy with a 20 s acknowledgement timeout.
# `hotline pages send` runs in another process on the line's database; the line rings baresip,
# which presses 1 (the page is then acknowledged in the database) or stays silent (the page climbs
# to the backup, who has no SIP contact, after 20 s).
# (baresip also binds PHONE-PORT + 1 for TLS.)
# pager NAME LINE-PORT PHONE-PORT PRESS(yes|no) ACK-TIMEOUT: the whole run, bounded; checked at the end.
pager() {
    local name=$1 line=$2 phone=$3 press=$4 timeout=$5
    local folder="$WORK/$name-phone"
    mkdir -p "$folder"
    cat >"$WORK/$name-rota.yaml" <<EOF
rota: SIP test managers
lines:
  primary:
    layers:
      - {name: all day, zone: UTC, rotation: weekly, start: 2025-01-06, handoff: "00:00", people: [Dana Page]}
  backup:
    layers:
      - {name: all day, zone: UTC, rotation: weekly, start: 2025-01-06, handoff: "00:00", people: [Bo Backup]}
contacts:
  Dana Page: sip:dana@127.0.0.1:$phone
EOF
    cat >"$WORK/$name-policy.yaml" <<EOF
policy: SIP test
rota: $name-rota.yaml
levels:
  - {name: manager, line: primary, ack-timeout: $timeout}
  - {name: backup, line: backup, ack-timeout: 10m}
EOF
    start_line "$name" "$line" --policy "$WORK/$name-policy.yaml" --page-ring 15 || return 1
    python3 -c 'import wave, sys; w = wave.open(sys.argv[1], "wb"); w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000); w.writeframes(bytes(2 * 8000 * 60)); w.close()' "$folder/silence.wav"
    cat >"$folder/config" <<EOF
poll_method epoll
sip_listen 127.0.0.1:$phone
net_interface 127.0.0.1
audio_source aufile,$folder/silence.wav
module_path /usr/lib/baresip/modules
module stdio.so
module g711.so
module aufile.so
module_app account.so
module_app menu.so
EOF
    echo "<sip:dana@127.0.0.1:$phone>;regint=0;answermode=auto" >"$folder/accounts"
    : >"$folder/contacts"
    # Key 1 from 12 s after answering (the case number is read out first), every 1.5 s, ten times.
    (if [ "$press" = yes ]; then
        for _ in $(seq 1 400); do grep -q "Call established" "$folder.out" 2>/dev/null && break; sleep 0.1; done
        sleep 12
        for _ in $(seq 1 10); do printf '1'; sleep 1.5; done
    fi; sleep 60) | (cd "$folder" && timeout 70 baresip -f "$folder" >"$folder.out" 2>&1) &
    local phone_pid=$!
    for _ in $(seq 1 100); do grep -q "baresip is ready" "$folder.out" 2>/dev/null && break; sleep 0.1; done
    "$BIN" pages send --case 00345678 --db "$WORK/$name.sqlite" --policy "$WORK/$name-policy.yaml" >"$WORK/$name.send" 2>&1
    local until=$((SECONDS + 75))
    while [ $SECONDS -lt $until ]; do
        if [ "$press" = yes ]; then
            [ "$(sql "$name" "SELECT state FROM oncall_page WHERE id = 1")" = acknowledged ] && break
        else
            [ "$(sql "$name" "SELECT count(*) FROM oncall_page")" = 2 ] && break
        fi
        sleep 0.5
    done
    kill "$phone_pid" 2>/dev/null
    wait "$phone_pid" 2>/dev/null
    # This runs in a background subshell, so the line is not in the main shell's `pids`: stop it
    # here (its log and database stay for the checks), or it would outlive the run until --stop-after.
    local line_pid
    eval "line_pid=\${${name}_pid}"
    kill -INT "$line_pid" 2>/dev/null
    wait "$line_pid" 2>/dev/null
    return 0
}
if command -v baresip >/dev/null; then
    pager pagerack ${PORT[pagerack]} ${PORT[phone_ack]} yes 2m &
    pager_ack=$!
    pager pagerclimb ${PORT[pagerclimb]} ${PORT[phone_climb]} no 20s &
    pager_climb=$!
fi

start_line main ${PORT[main]} --ring 1 --max-calls 150 || exit 1
port_in_use() {  # a second line on the main line's port: exit 2 and an error naming the fix
    "$BIN" serve --sip "127.0.0.1:${PORT[main]}" --db "$WORK/inuse.sqlite" --stop-after 5 >"$WORK/inuse.out" 2>&1
    local status=$?
    [ $status = 2 ] && grep -q "^error: .*(fix: " "$WORK/inuse.out" || { echo "        exit $status: $(head -c 300 "$WORK/inuse.out")"; return 1; }
}
check "serve --sip on a port in use exits 2 with the fix" port_in_use
check "OPTIONS is answered 200" call options ${PORT[main]} ${PORT[sipp_short]} ${PORT[media_short]}
check "an offer without PCMU/PCMA gets 488" call bad-sdp ${PORT[main]} ${PORT[sipp_short]} ${PORT[media_short]}
check "CANCEL while ringing: 487, no call" call cancel ${PORT[main]} ${PORT[sipp_short]} ${PORT[media_short]}
check "the caller hangs up mid-prompt" call hangup-mid-prompt ${PORT[main]} ${PORT[sipp_short]} ${PORT[media_short]} -cid_str "hangup-%u@hotline-test"
check "  … its record says caller-hung-up with the Call-ID" \
    test "$(sql main "SELECT outcome || ' ' || (answered_at IS NOT NULL) FROM call_record WHERE sip_call_id = 'hangup-1@hotline-test'")" = "caller-hung-up 1"
check "a late offer (no SDP in the INVITE): the line offers in the 200" call late-offer ${PORT[main]} ${PORT[sipp_short]} ${PORT[media_short]} -cid_str "late-%u@hotline-test"
late_offer_call=$(grep -o "sip #[0-9]*: .* answered (PCMA, Call-ID late-1@hotline-test" "$WORK/main.log" | grep -o "^sip #[0-9]*")
check "  … answered on the codec the ACK agreed (PCMA)" test -n "$late_offer_call"
check "  … and no spurious hold before the ACK" test -z "$(grep -e "${late_offer_call:-none}: on hold" -e "${late_offer_call:-none}: off hold" "$WORK/main.log")"
check "re-INVITE to hold and back keeps the call" call reinvite-hold ${PORT[main]} ${PORT[sipp_short]} ${PORT[media_short]}
check "  … the line saw the hold and the resume" grep -q "off hold" "$WORK/main.log"
check "another number gets 404" call wrong-number ${PORT[main]} ${PORT[sipp_short]} ${PORT[media_short]}

# Blind transfer by REFER: a flow whose only node transfers to a SIP URI written in it. The SIPp
# caller answers the REFER 202 and sends NOTIFY with the sipfrag: 200 → the record says
# transferred, 503 → transfer-failed; the line sends BYE either way.
check "blind transfer: REFER to the URI in the flow, 202, NOTIFY 200, BYE" call transfer-ok ${PORT[transfer]} ${PORT[sipp_short]} ${PORT[media_short]} -cid_str "xfer-ok-%u@hotline-test"
check "  … the record says transferred" test "$(sql transfer "SELECT outcome FROM call_record WHERE sip_call_id = 'xfer-ok-1@hotline-test'")" = transferred
check "a transfer whose NOTIFY says 503: BYE" call transfer-fails ${PORT[transfer]} ${PORT[sipp_short]} ${PORT[media_short]} -cid_str "xfer-bad-%u@hotline-test"
for _ in $(seq 1 20); do grep -q "ended transfer-failed" "$WORK/transfer.log" && break; sleep 0.1; done
check "  … the record says transfer-failed" test "$(sql transfer "SELECT outcome FROM call_record WHERE sip_call_id = 'xfer-bad-1@hotline-test'")" = transfer-failed

# A failure branch: the same 503 NOTIFY on a flow whose transfer names `on_failure`: the caller,
# still on the line, hears the callback prompt, then the line hangs up; the record has the branch's
# outcome.
start_line branch ${PORT[branch]} --flow "$HERE/transfer-branch-flow.yaml" || exit 1
check "a failed transfer with on_failure: the flow goes on, then BYE" call transfer-fails ${PORT[branch]} ${PORT[sipp_branch]} ${PORT[media_branch]} -cid_str "xfer-branch-%u@hotline-test"
for _ in $(seq 1 20); do grep -q "ended callback" "$WORK/branch.log" && break; sleep 0.1; done
check "  … the transfer failed and the branch played" sh -c "grep -q 'transfer to sip:desk@127.0.0.1:5999 failed: 503 Service Unavailable' '$WORK/branch.log' && grep -q 'heard   desk_busy: system.callback' '$WORK/branch.log'"
check "  … the record has the branch's outcome" test "$(sql branch "SELECT outcome FROM call_record WHERE sip_call_id = 'xfer-branch-1@hotline-test'")" = callback
kill -INT "$branch_pid"

# A redirect before the answer (Fixtures/flows/priority-line.yaml): a platinum caller is looked up
# while the line rings, then gets 302 with the flow's URI as Contact (the ACK ends it); the call is
# never answered, and its record says transferred.
start_line redirect ${PORT[redirect]} --flow Fixtures/flows/priority-line.yaml || exit 1
check "redirect: 180, then 302 with the flow's URI as Contact, ACK" call redirect ${PORT[redirect]} ${PORT[sipp_redirect]} ${PORT[media_redirect]} -cid_str "moved-%u@hotline-test"
for _ in $(seq 1 20); do grep -q "ended redirected" "$WORK/redirect.log" && break; sleep 0.1; done
check "  … the record says redirected, never answered, with the Call-ID" \
    test "$(sql redirect "SELECT outcome || ' ' || ifnull(answered_at, 'unanswered') FROM call_record WHERE sip_call_id = 'moved-1@hotline-test'")" = "redirected unanswered"
check "  … the line says redirected, and never answered it" sh -c "grep -q 'redirected to sip:priority-desk@127.0.0.1:5999 (302 Moved Temporarily)' '$WORK/redirect.log' && ! grep -q 'answered (' '$WORK/redirect.log'"
check "  … its transcript: ringing, the redirect (302), never answered" sh -c "grep -q 'call    ringing on +1-844-751-7629' '$WORK/redirect.log' &&
    grep -q 'redirect to sip:priority-desk@127.0.0.1:5999 (302 Moved Temporarily)' '$WORK/redirect.log' &&
    grep -q 'end     redirected (never answered)' '$WORK/redirect.log' && ! grep -q -e 'call    answered' -e 'transfer to' '$WORK/redirect.log'"
kill -INT "$redirect_pid"
# A redirect reached after the answer (a flow `flow check` refuses, served as given): REFER instead.
start_line lateredirect ${PORT[lateredirect]} --flow "$HERE/late-redirect-flow.yaml" || exit 1
check "a redirect after the answer falls back to REFER (NOTIFY 200, BYE)" call transfer-ok ${PORT[lateredirect]} ${PORT[sipp_lateredirect]} ${PORT[media_lateredirect]} -cid_str "late-moved-%u@hotline-test"
check "  … saying so" grep -q "answered before its redirect to sip:desk@127.0.0.1:5999: REFER instead of 302" "$WORK/lateredirect.log"
kill -INT "$lateredirect_pid"
# Destination names mapped to URIs by the line's files, the flows naming no URI: a name in
# --destinations redirected (302) before the answer, and a queue's contact: in the queues file
# reached by REFER. A destinations file with a bad URI or an unknown name stops the line first.
start_line named ${PORT[named]} --flow "$HERE/named-flow.yaml" --destinations "$HERE/destinations.yaml" \
    --agents "$HERE/routing/agents.yaml" --queues "$HERE/routing/queues-contact.yaml" || exit 1
check "a named destination (--destinations): 302 with its URI as Contact" call redirect ${PORT[named]} ${PORT[sipp_named]} ${PORT[media_named]} -cid_str "named-%u@hotline-test"
for _ in $(seq 1 20); do grep -q "ended redirected" "$WORK/named.log" && break; sleep 0.1; done
check "  … the line names the destinations file" grep -q "priority is sip:priority-desk@127.0.0.1:5999 (the destinations file)" "$WORK/named.log"
check "  … the record says redirected" test "$(sql named "SELECT outcome FROM call_record WHERE sip_call_id = 'named-1@hotline-test'")" = redirected
check "  … the start lists the named destinations" grep -q "named SIP destinations: desk (sip:desk@127.0.0.1:5999), priority (sip:priority-desk@127.0.0.1:5999)" "$WORK/named.log"
kill -INT "$named_pid"
start_line queuename ${PORT[queuename]} --flow "$HERE/queue-name-flow.yaml" --agents "$HERE/routing/agents.yaml" --queues "$HERE/routing/queues-contact.yaml" || exit 1
check "a transfer to a queue with a contact: REFER there, NOTIFY 200, BYE" call transfer-ok ${PORT[queuename]} ${PORT[sipp_queuename]} ${PORT[media_queuename]} -cid_str "queue-name-%u@hotline-test"
for _ in $(seq 1 20); do grep -q "ended transferred" "$WORK/queuename.log" && break; sleep 0.1; done
check "  … the line names the queues file" grep -q "desk is sip:desk@127.0.0.1:5999 (the queues file)" "$WORK/queuename.log"
check "  … the record says transferred" test "$(sql queuename "SELECT outcome FROM call_record WHERE sip_call_id = 'queue-name-1@hotline-test'")" = transferred
kill -INT "$queuename_pid"
# The same transfer with no file mapping the name: nothing to dial, so the ringing call is refused
# (480), never answered, and the record says so.
start_line unmapped ${PORT[unmapped]} --flow "$HERE/queue-name-flow.yaml" --agents "$HERE/routing/agents.yaml" --queues "$HERE/routing/queues.yaml" || exit 1
check "a transfer to a name no file maps, before the answer: 480" call refused ${PORT[unmapped]} ${PORT[sipp_unmapped]} ${PORT[media_unmapped]} -cid_str "unmapped-%u@hotline-test"
for _ in $(seq 1 20); do grep -q "ended transferred" "$WORK/unmapped.log" && break; sleep 0.1; done
check "  … the line says why, the record says transferred, never answered" sh -c "grep -q 'desk has no SIP URI in the line' '$WORK/unmapped.log' && grep -q 'end     transferred (never answered)' '$WORK/unmapped.log'"
check "  … with no answer time" test "$(sql unmapped "SELECT outcome || ' ' || ifnull(answered_at, 'unanswered') FROM call_record WHERE sip_call_id = 'unmapped-1@hotline-test'")" = "transferred unanswered"
kill -INT "$unmapped_pid"
bad_destinations() {  # a bad URI, a misspelt name, a URI as a name: all three in one run (exit 2, file:line, the fix, the suggestion); no database left
    printf 'destinations:\n  priority: sip:desk@127.0.0.1:99999\n  priorty: sip:desk@127.0.0.1:5999\n  "sip:x@y": sip:desk@127.0.0.1:5999\n' >"$WORK/bad-destinations.yaml"
    "$BIN" serve --sip "127.0.0.1:${PORT[named]}" --db "$WORK/bad-destinations.sqlite" --flow "$HERE/named-flow.yaml" \
        --destinations "$WORK/bad-destinations.yaml" --stop-after 5 >"$WORK/bad-destinations.out" 2>&1
    local status=$?
    [ $status = 2 ] && grep -q "bad-destinations.yaml:2:.*priority.*99999.*(fix: " "$WORK/bad-destinations.out" &&
        grep -q "bad-destinations.yaml:3:.*'priorty'.*did you mean 'priority'" "$WORK/bad-destinations.out" &&
        grep -q "bad-destinations.yaml:4:.*'sip:x@y' is not a name.*(fix: " "$WORK/bad-destinations.out" &&
        [ ! -e "$WORK/bad-destinations.sqlite" ] ||
        { echo "        exit $status: $(head -c 600 "$WORK/bad-destinations.out")"; return 1; }
    printf 'destinations:\n  priorty: sip:desk@127.0.0.1:5999\n' >"$WORK/bad-destinations.yaml"
    "$BIN" serve --sip "127.0.0.1:${PORT[named]}" --db "$WORK/bad-destinations2.sqlite" --flow "$HERE/named-flow.yaml" \
        --destinations "$WORK/bad-destinations.yaml" --stop-after 5 >"$WORK/bad-destinations.out" 2>&1
    status=$?
    [ $status = 2 ] && grep -q "bad-destinations.yaml:2:.*'priorty'.*did you mean 'priority'" "$WORK/bad-destinations.out" &&
        [ ! -e "$WORK/bad-destinations2.sqlite" ] ||
        { echo "        exit $status: $(head -c 400 "$WORK/bad-destinations.out")"; return 1; }
}
check "a destinations file with a bad URI, an unknown name and a URI as a name: all said in one run, exit 2, no database" bad_destinations

# SIP phones from the routing file: `serve --agents/--queues` with one agent whose `contact:` is a
# SIP URI. The caller queues, the router hands the call to the agent, and the line transfers it by
# REFER to that contact (transfer-ok.xml expects it as Refer-To).
ROUTING="$HERE/routing"
start_line agents ${PORT[agents]} --flow "$HERE/agent-flow.yaml" --agents "$ROUTING/agents.yaml" --queues "$ROUTING/queues.yaml" || exit 1
check "an agent's contact from the agents file: REFER there, NOTIFY 200, BYE" call transfer-ok ${PORT[agents]} ${PORT[sipp_agents]} ${PORT[media_agents]} -cid_str "agent-%u@hotline-test"
for _ in $(seq 1 20); do grep -q "ended transferred" "$WORK/agents.log" && break; sleep 0.1; done
check "  … the router chose the agent, the record says transferred" \
    test "$(sql agents "SELECT outcome || ' ' || agent FROM call_record WHERE sip_call_id = 'agent-1@hotline-test'")" = "transferred dee.desk"
check "  … the line names the agents file's URI" grep -q "dee.desk's phone is sip:desk@127.0.0.1:5999 (the agents file)" "$WORK/agents.log"
kill -INT "$agents_pid"

# Hold audio on the wire: the same queue with its one agent on a break (nobody free). The call is
# answered when it starts holding, and the RTP it gets is system.hold, compared after G.711.
start_line away ${PORT[away]} --flow "$HERE/agent-flow.yaml" --agents "$ROUTING/agents-away.yaml" --queues "$ROUTING/queues.yaml" || exit 1
python3 "$HERE/rtp-check.py" ${PORT[rtp_hold]} 6 Prompts/en-US/system.hold.wav "$WORK/hold.ready" >"$WORK/hold.out" 2>&1 &
hold_check=$!
for _ in $(seq 1 100); do [ -e "$WORK/hold.ready" ] && break; sleep 0.1; done
call listen ${PORT[away]} ${PORT[sipp_away]} ${PORT[media_away]} -set rtpport ${PORT[rtp_hold]} >/dev/null
wait $hold_check
hold_status=$?
echo "        $(cat "$WORK/hold.out")"
check "a queued call with no agent free hears system.hold as RTP, after G.711" test $hold_status = 0
kill -INT "$away_pid"

# Malformed and oversized messages: no crash, and the next call still works.
python3 - "${PORT[main]}" <<'EOF'
import socket, sys
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for junk in [b"\x00\xff garbage", b"INVITE\r\n\r\n", b"INVITE sip:x SIP/2.0\r\nVia: nonsense\r\nCSeq: x\r\n\r\n",
             b"OPTIONS sip:a@b SIP/2.0\r\n" + b"X-Filler: " + b"a" * 9000 + b"\r\n\r\n",
             b"OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKx\r\n" + b"X: y\r\n" * 200 + b"\r\n"]:
    s.sendto(junk, ("127.0.0.1", port))
EOF
check "malformed SIP: the line is still up" kill -0 "$main_pid"
for _ in $(seq 1 20); do grep -q "refused with 513" "$WORK/main.log" && break; sleep 0.1; done
check "  … a message with 200 headers gets 513" grep -q "OPTIONS from 127.0.0.1:[0-9]* refused with 513" "$WORK/main.log"
check "  … and the next call works" call short-call ${PORT[main]} ${PORT[sipp_short]} ${PORT[media_short]}

check "a call over TCP" call short-call ${PORT[main]} ${PORT[sipp_tcp]} ${PORT[media_tcp]} -t t1

# The RTP leaving the line, decoded and compared with the welcome prompt.
# The call starts once the recorder listens: on a loaded machine python can take over a second to
# start, and the RTP sent before it binds is lost (the prompt's start then "nowhere in the stream").
python3 "$HERE/rtp-check.py" ${PORT[rtp_check]} 6 Prompts/en-US/gsc.welcome.wav "$WORK/rtp.ready" >"$WORK/rtp.out" 2>&1 &
rtp_check=$!
for _ in $(seq 1 100); do [ -e "$WORK/rtp.ready" ] && break; sleep 0.1; done
call listen ${PORT[main]} ${PORT[sipp_short]} ${PORT[media_short]} -set rtpport ${PORT[rtp_check]} >/dev/null
wait $rtp_check
rtp_status=$?
echo "        $(cat "$WORK/rtp.out")"
check "the RTP sent is the prompt after G.711" test $rtp_status = 0

# 100 calls at once, counted on both sides.
check "100 calls at once (SIPp)" call short-call ${PORT[main]} ${PORT[sipp_load]} ${PORT[media_load]} -m 100 -r 100 -l 100 -cid_str "load-%u@hotline-test"
for _ in $(seq 1 50); do
    [ "$(sql main "SELECT count(*) FROM call_record WHERE sip_call_id LIKE 'load-%'")" = 100 ] && break
    sleep 0.2
done
check "  … 100 call records on the line's side" test "$(sql main "SELECT count(*) FROM call_record WHERE sip_call_id LIKE 'load-%'")" = 100

# Ctrl-C with a call up: the caller gets BYE, the line exits 0.
before=$(grep -c "answered (" "$WORK/main.log")
call line-hangs-up ${PORT[main]} ${PORT[sipp_short]} ${PORT[media_short]} &
held_call=$!
for _ in $(seq 1 50); do
    [ "$(grep -c "answered (" "$WORK/main.log")" -gt "$before" ] && break
    sleep 0.1
done
kill -INT "$main_pid"
check "Ctrl-C: the caller up gets BYE" wait $held_call
check "  … and the line exits 0" wait "$main_pid"
check "  … saying so" grep -q "Hotline stopped." "$WORK/main.log"
# The console's lines are written in batches (LineLog): none may be lost when the line stops.
check "  … its log has every call's end line (nothing lost in the buffer)" \
    test "$(grep -c ": ended" "$WORK/main.log")" = "$(grep -c "answered (" "$WORK/main.log")"

# An open port: one call allowed, a scanner's burst of OPTIONS limited.
start_line guarded ${PORT[guarded]} --max-calls 1 --flood-rate 5 || exit 1
call line-hangs-up ${PORT[guarded]} ${PORT[sipp_guarded]} ${PORT[media_guarded]} &
guarded_call=$!
for _ in $(seq 1 50); do
    grep -q "answered (" "$WORK/guarded.log" && break
    sleep 0.1
done
check "--max-calls 1: a second call gets 486" call busy ${PORT[guarded]} ${PORT[sipp_busy]} ${PORT[media_busy]}
flood=$(python3 - "${PORT[guarded]}" <<'EOF'
import socket, sys
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.settimeout(1)
me = s.getsockname()[1]
for n in range(30):
    s.sendto((f"OPTIONS sip:probe@127.0.0.1:{port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{me};branch=z9hG4bKflood{n}\r\n"
              f"From: <sip:scanner@127.0.0.1>;tag=s{n}\r\nTo: <sip:probe@127.0.0.1>\r\nCall-ID: flood-{n}\r\nCSeq: 1 OPTIONS\r\n"
              "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n").encode(), ("127.0.0.1", port))
codes = []
try:
    while len(codes) < 30:
        codes.append(s.recv(4096).split(b" ", 2)[1].decode())
except socket.timeout:
    pass
print(codes.count("200"), codes.count("503"))
EOF
)
echo "        30 OPTIONS at once with --flood-rate 5: $flood (200s, 503s)"
check "a burst of OPTIONS from one address is limited (503)" test "${flood#* }" -ge 15
kill -TERM "$guarded_pid"
check "  … and the call up gets BYE when the line stops (SIGTERM)" wait $guarded_call
wait "$guarded_pid"
check "  … the line exits 0, its log complete to the last line" \
    test $? = 0 -a "$(tail -n 1 "$WORK/guarded.log")" = "Hotline stopped." -a "$(grep -c ": ended" "$WORK/guarded.log")" = "$(grep -c "answered (" "$WORK/guarded.log")"

check "a transfer with no NOTIFY after the 202: the line sends BYE after 32 s" wait $silent_transfer_call
check "  … the record says transfer-failed" test "$(sql transfer "SELECT outcome FROM call_record WHERE sip_call_id = 'xfer-silent-1@hotline-test'")" = transfer-failed

check "the queued caller is answered from the queue and the line hangs up" wait $queued_call
check "  … its record: transferred from customer-care, with the Call-ID" \
    test "$(sql queued "SELECT outcome || ' ' || queue FROM call_record WHERE sip_call_id = 'queued-1@hotline-test'")" = "transferred customer-care"
check "escalation with RFC 4733 keys (SIPp pcaps)" wait $rfc4733_call
check "  … escalation recorded, manager paged, record with the Call-ID" escalated rfc4733 "rfc4733-1@hotline-test"
check "escalation with SIP INFO keys (dtmf-relay and dtmf)" wait $info_call
check "  … escalation recorded, manager paged, record with the Call-ID" escalated info "info-1@hotline-test"

if [ -n "${softphone_call:-}" ]; then
    wait $softphone_call
    phone=softphone
    # The softphone's call runs beside the SIPp load above; on a loaded machine it has been seen to
    # miss. Say why, then try once more on a line of its own, now that the load is over.
    if ! softphone_heard softphone || ! softphone_escalated softphone; then
        echo "        the softphone's call beside the load did not get through ($(head -c 200 "$WORK/heard.out")); baresip said:"
        tail -n 12 "$WORK/softphone.out" 2>/dev/null | tr "\r" "\n" | grep -v "audio=" | tail -n 12 | cut -c1-200 | sed "s/^/          /"
        echo "        trying once more on a quiet line"
        start_line softphone2 ${PORT[softphone2]} || exit 1
        softphone softphone2 ${PORT[softphone2]} ${PORT[phone2]}
        phone=softphone2
        softphone_heard softphone2
    fi
    check "baresip: the call was answered and its key 1 heard" grep -q "press   1" "$WORK/$phone.log"
    softphone_heard $phone
    heard_status=$?
    echo "        $(cat "$WORK/heard.out")"
    check "baresip heard the welcome prompt" test $heard_status = 0
    check "baresip placed the reference escalation call: escalation recorded, manager paged" softphone_escalated $phone
else
    echo "  (baresip is not installed: the softphone check is skipped; make deps installs it)"
fi

if [ -n "${pager_ack:-}" ]; then
    wait $pager_ack
    wait $pager_climb
    check "a page rings the manager's baresip (its rota contact)" grep -q "Dana Page answered the call for PG-000001" "$WORK/pagerack.log"
    check "  … pressing 1 acknowledges the page in the database" \
        test "$(sql pagerack "SELECT state || ' ' || acknowledged_by FROM oncall_page WHERE id = 1")" = "acknowledged Dana Page"
    check "  … the page call's record has its Call-ID" \
        test "$(sql pagerack "SELECT count(*) FROM call_record WHERE sip_call_id IS NOT NULL AND outcome = 'acknowledged'")" = 1
    check "a page nobody acknowledges on the phone climbs to the backup" \
        test "$(sql pagerclimb "SELECT group_concat(person || ' ' || state, ', ') FROM (SELECT * FROM oncall_page ORDER BY id)")" = "Dana Page escalated, Bo Backup sent"
    check "  … after the phone was answered and nothing pressed" grep -q "Dana Page answered the call for PG-000001" "$WORK/pagerclimb.log"
    check "  … and the backup (no SIP contact) is not rung" test "$(grep -c "calling " "$WORK/pagerclimb.log")" = 1
fi

if [ "$failed" -gt 0 ]; then
    for log in "$WORK"/*.log "$WORK"/*.errors; do
        [ -s "$log" ] || continue
        echo "--- $log"
        tail -n 30 "$log"
    done
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
