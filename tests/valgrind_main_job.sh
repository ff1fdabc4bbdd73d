#!/bin/sh
# The main job on the bundled samples, every command under valgrind: index,
# searches in each format, facets, campaigns with a chart, extract, similar,
# compact, and a crawl of the sample site from disk. Fails on any invalid
# access, use of uninitialised memory, or definite or indirect leak.
#   valgrind_main_job.sh BLOTTER SOURCE_DIR
set -eu
blotter=$1
top=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/blotter-valgrind.XXXXXX")
trap 'rm -rf "$work"' EXIT
data=$work/data
failed=0

# Exit 97 is valgrind's own: it found an error.
check() {
    want=$1
    shift
    status=0
    valgrind -q --trace-children=yes --error-exitcode=97 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
        "$blotter" "$@" >"$work/out" 2>"$work/err" || status=$?
    if [ "$status" -ne "$want" ]; then
        echo "FAIL (exit $status, expected $want): blotter $*" >&2
        cat "$work/err" >&2
        failed=1
    else
        echo "ok: blotter $*"
    fi
}

check 0 index --data "$data" "$top/samples"
check 0 search --data "$data" smuggling
check 0 search --data "$data" --format json --limit 2 title:fugitive
check 0 search --data "$data" --format csv --limit 3 --sort -date 'date:2013..2014'
check 0 search --data "$data" 抓获犯罪嫌疑人
check 0 search --data "$data" --limit 0 --facet year --facet lang --facet campaign '*'
check 1 search --data "$data" zzzznotaword
check 2 search --data "$data" 'AND ('
check 0 campaigns --data "$data" --plot "$work/campaigns.svg"
check 0 extract --format json "$top/samples/seed-bulletin.txt"
check 0 compact --data "$data"
check 0 search --data "$data" '"criminal gangs"'
check 0 crawl --data "$work/crawl" --config "$top/samples/sources.ini" --quiet
check 0 search --data "$work/crawl" interpol
exit $failed
