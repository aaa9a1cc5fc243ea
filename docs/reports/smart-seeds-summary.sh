#!/usr/bin/env bash
# Summarizes the SMART selection reports of several training seeds (docs/reports/regenerate.sh smart-seeds):
# every run's "Vigil (calibrated threshold)" row as the report wrote it, then per variant the median over its
# seeds of the failed drives caught >= 1 day ahead, the healthy drives' share alerted and the precision, next
# to Backblaze's rule and "sector count grew" on the same days (the same for every seed: same drives, and
# with the same window the same days). Reads only the reports; writes markdown to stdout.
# Usage: docs/reports/smart-seeds-summary.sh DIR   (DIR/<variant>/seed-<N>/report.md)
set -euo pipefail
dir=${1:?usage: smart-seeds-summary.sh DIR}
[[ -d $dir ]] || { echo "smart-seeds-summary.sh: $dir: no such folder" >&2; exit 2; }

# "| Vigil (calibrated threshold) | 19 of 30 | 0.633 | 7.0 | 45 of 1135 | 0.0396 | 0.297 |" -> "19 30 45 1135 0.0396 0.297"
row() { # report, row label
  awk -F' *\\| *' -v label="$2" '$2 == label { split($3, c, " of "); split($6, h, " of "); print c[1], c[2], h[1], h[2], $7, $8; exit }' "$1"
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "# SMART variants under several training seeds (selection drives)"
echo
echo "Written by \`docs/reports/smart-seeds-summary.sh $dir\` from the reports below (each written by \`vigil evaluate"
echo "--selection --seed N\`, its command in its header). Selection drives: the training half's failed drives and the"
echo "healthy drives held out for validation, the same drives for every seed; never the test half."
echo
echo "## Median over seeds"
echo
echo "| variant | seeds | failed caught (median) | caught per seed | healthy alerted (median share) | precision (median) | rule: caught, share, precision | \"grew\": caught, share, precision |"
echo "|---|---|---|---|---|---|---|---|"
for v in "$dir"/*/; do
  v=${v%/}
  name=$(basename "$v")
  reports=("$v"/seed-*/report.md)
  [[ -f ${reports[0]} ]] || continue
  caught=() shares=() precisions=() seeds=()
  for r in "${reports[@]}"; do
    read -r c f h n s p < <(row "$r" "Vigil (calibrated threshold)")
    caught+=("$c") shares+=("$s") precisions+=("$p")
    seeds+=("$(basename "$(dirname "$r")")")
  done
  read -r rc rf rh rn rs rp < <(row "${reports[0]}" "Backblaze rule, same days as Vigil")
  read -r gc gf gh gn gs gp < <(row "${reports[0]}" "\"Sector count grew\", same days as Vigil")
  printf '| %s | %d | %s of %s | %s | %s | %s | %s, %s, %s | %s, %s, %s |\n' "$name" "${#reports[@]}" \
    "$(printf '%s\n' "${caught[@]}" | median)" "$f" "$(IFS=' '; echo "${caught[*]}")" \
    "$(printf '%s\n' "${shares[@]}" | median)" "$(printf '%s\n' "${precisions[@]}" | median)" \
    "$rc" "$rs" "$rp" "$gc" "$gs" "$gp"
done
echo
echo "\"Caught per seed\" lists the seeds in the order of the runs below."
echo
echo "## Every run"
echo
echo "| variant | seed | failed caught | healthy alerted | share | precision | report |"
echo "|---|---|---|---|---|---|---|"
for v in "$dir"/*/; do
  v=${v%/}
  for r in "$v"/seed-*/report.md; do
    [[ -f $r ]] || continue
    read -r c f h n s p < <(row "$r" "Vigil (calibrated threshold)")
    rel=${r#"$dir"/}
    seed=$(basename "$(dirname "$r")")
    printf '| %s | %s | %s of %s | %s of %s | %s | %s | [report](%s) |\n' "$(basename "$v")" "${seed#seed-}" "$c" "$f" "$h" "$n" "$s" "$p" "$rel"
  done
done
