#!/bin/sh
# test-say.sh: `linli-diag say` end to end, measured with sox.
#
#   test-say.sh LINLI_DIAG
#
# Writes WAVs with -o and checks them with `sox FILE -n stat` (length,
# RMS amplitude); under tests/rigs/pulse-rig.sh (PULSE_SERVER set) also
# speaks to the private PulseAudio's speaker and records its monitor.
# Exits 77 when sox is missing (1 when CI is set), 1 when a check fails.
set -eu

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
    echo "usage: $0 LINLI_DIAG" >&2
    exit 2
fi
diag=$1
PROMPT=请将身份证放在读卡区

if ! command -v sox >/dev/null 2>&1; then
    if [ -n "${CI:-}" ]; then
        echo "test-say: sox not found" >&2
        exit 1
    fi
    echo "test-say: sox not found; skipping" >&2
    exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/linli-say.XXXXXX")
recorder=
cleanup () {
    [ -z "$recorder" ] || kill -INT "$recorder" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

n=0
failed=0
check () {
    n=$((n + 1))
    description=$1
    shift
    if "$@"; then
        echo "ok $n - $description"
    else
        echo "not ok $n - $description"
        failed=$((failed + 1))
    fi
}

# A field of `sox FILE -n stat`: "Length (seconds)", "RMS     amplitude"…
stat_field () {
    sox "$1" -n stat 2>&1 | awk -F: -v field="$2" '$1 ~ field { gsub(/ /, "", $2); print $2 }'
}

# Whether $1 lies in [$2, $3].
between () {
    awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v >= lo && v <= hi) }'
}

greater () {
    awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'
}

# say -o FILE ARGS...: exit 0 and a WAV.
say_to () {
    out=$1
    shift
    "$diag" say -o "$out" "$@" >"$work/say.out" 2>"$work/say.err" && [ -s "$out" ]
}

# Mandarin: espeak-ng 1.51 takes 3.5 s at the default 150 words a minute;
# speech RMS is about 0.055 of full scale at the default volume step.
check "say -o writes the Mandarin prompt" say_to "$work/prompt.wav" "$PROMPT"
length=$(stat_field "$work/prompt.wav" "Length")
rms=$(stat_field "$work/prompt.wav" "RMS +amplitude")
echo "# $PROMPT: $length s, RMS $rms"
check "its length is 2.5-6 s ($length)" between "$length" 2.5 6.0
check "it is not silent (RMS $rms)" greater "$rms" 0.01

check "say --voice en -o writes English" say_to "$work/en.wav" --voice en \
    "Please place your ID card on the reader"
length=$(stat_field "$work/en.wav" "Length")
rms=$(stat_field "$work/en.wav" "RMS +amplitude")
echo "# English: $length s, RMS $rms"
check "its length is 1.2-5 s ($length)" between "$length" 1.2 5.0
check "it is not silent (RMS $rms)" greater "$rms" 0.01

# 6.2 s and 2.0 s with espeak-ng 1.51.
check "say --rate 80" say_to "$work/slow.wav" --rate 80 "$PROMPT"
check "say --rate 250" say_to "$work/fast.wav" --rate 250 "$PROMPT"
slow=$(stat_field "$work/slow.wav" "Length")
fast=$(stat_field "$work/fast.wav" "Length")
echo "# rate 80: $slow s, rate 250: $fast s"
check "rate 80 takes over twice as long as 250" greater "$slow" "$(awk -v f="$fast" 'BEGIN { print 2 * f }')"

# Usage errors exit 2, and name the problem.
usage () {
    set +e
    "$diag" "$@" >/dev/null 2>"$work/usage.err"
    status=$?
    set -e
    [ $status -eq 2 ] && grep -q "Usage:" "$work/usage.err"
}
check "say without TEXT is a usage error" usage say
check "--voice fr is a usage error" usage say --voice fr 你好
check "--rate 10 is a usage error" usage say --rate 10 你好
check "--rate abc is a usage error" usage say --rate abc 你好
check "-o with another command is a usage error" usage config -o x.wav

# Cannot speak: exit 1 with the reason.
cannot () {
    reason=$1
    shift
    set +e
    "$diag" "$@" >/dev/null 2>"$work/cannot.err"
    status=$?
    set -e
    [ $status -eq 1 ] && grep -q "$reason" "$work/cannot.err"
}
printf '[voice]\nsink=alsasink device=hw:99\n' >"$work/no-output.conf"
check "no audio output: exit 1 and why" cannot "no audio output" \
    --config "$work/no-output.conf" say "$PROMPT"
check "an unwritable file: exit 1 and why" cannot "/nonexistent/dir/x.wav" \
    say -o /nonexistent/dir/x.wav "$PROMPT"
check "nothing sayable: exit 1 and why" cannot "nothing in the text can be spoken" \
    say -o "$work/emoji.wav" "😀😀"

# Through the loudspeaker of the private PulseAudio, recorded off its monitor.
if [ -n "${PULSE_SERVER:-}" ]; then
    parec --latency-msec=20 -d "${LINLI_TEST_PULSE_MONITOR:-kiosk.monitor}" \
        --file-format=wav "$work/heard.wav" &
    recorder=$!
    sleep 0.5
    check "say plays on the speaker" "$diag" say "$PROMPT"
    sleep 0.3
    kill -INT "$recorder"
    wait "$recorder" || true
    recorder=
    peak=$(stat_field "$work/heard.wav" "Maximum +amplitude")
    rms=$(stat_field "$work/heard.wav" "RMS +amplitude")
    echo "# heard on kiosk.monitor: peak $peak, RMS $rms"
    check "the speaker is not silent (peak $peak)" greater "$peak" 0.1
else
    echo "# PULSE_SERVER not set: the speaker is not checked"
fi

echo "1..$n"
[ $failed -eq 0 ]
