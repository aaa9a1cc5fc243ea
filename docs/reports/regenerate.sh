#!/usr/bin/env bash
# Regenerates every evaluation report under docs/reports with the exact commands the README prints;
# each report's header is written by the code and repeats its command. Run from the repository root
# with the shared data at ../shared/data. Training is reproducible (fixed seeds, Java training steps):
# a re-run changes only the model versions' time stamps, not the numbers.
# Usage: docs/reports/regenerate.sh [adxl356|skab|nab|smart|smart-selection|smart-seeds|pipeline|soak|train-memory ...]
# (default: the evaluation reports; the three benchmark reports are measurements that take 5-15 minutes
# each and move with the machine and its load, so they run only when named)
set -euo pipefail
cd "$(dirname "$0")/../.."
D=../shared/data
parts=("$@")
((${#parts[@]})) || parts=(adxl356 skab nab smart smart-selection smart-seeds)
for part in "${parts[@]}"; do
  case $part in
    adxl356)
      for rpm in 1200 2400 1800; do   # one model per shaft speed; chosen on 1200 rpm only (topologies/adxl356.yaml)
        ./vigil evaluate --topology adxl356 --data $D/vibration-adxl356 --include "${rpm}_*" --epochs 30 --out docs/reports/adxl356/$rpm
      done ;;
    skab)
      ./vigil evaluate --topology skab --data $D/skab/valve1 --choose-on '[0-7]' --out docs/reports/skab ;;
    nab)
      ./vigil evaluate --topology nab --data $D/nab/artificialWithAnomaly $D/nab/realTraffic $D/nab/realAWSCloudwatch --choose-on 'art_*' --out docs/reports/nab ;;
    smart)
      ./vigil evaluate --topology smart --data $D/backblaze-2013 --out docs/reports/smart --epochs 10 --max-train-windows 20000 --test-share 0.5 ;;
    smart-selection)   # every SMART variant tried, judged on the selection drives only (never the test half)
      for v in daily-growth-7pct daily-growth-4pct own-baseline-only-4pct own-baseline-and-daily-4pct own-baseline-4pct own-baseline-window3-4pct; do
        ./vigil evaluate --topology topologies/smart-variants/$v.yaml --data $D/backblaze-2013 --out docs/reports/smart-selection/$v --epochs 10 --max-train-windows 20000 --test-share 0.5 --selection
      done
      ./vigil evaluate --topology topologies/smart-variants/own-baseline-4pct.yaml --data $D/backblaze-2013 --out docs/reports/smart-selection/own-baseline-4pct-20-epochs --epochs 20 --max-train-windows 20000 --test-share 0.5 --selection ;;
    smart-seeds)   # SMART variants under three training seeds each, selection drives only (the same drives whatever the
                   # seed); the median over seeds decides, not one seed. seeds.md: every run's Vigil row and the medians
      S=docs/reports/smart-selection/seeds
      for v in own-baseline-window3-4pct own-baseline-window3-4.4pct own-baseline-and-daily-window3-4pct own-baseline-4pct own-baseline-4.4pct own-baseline-window4-4pct; do
        for seed in 42 1 2; do
          ./vigil evaluate --topology topologies/smart-variants/$v.yaml --data $D/backblaze-2013 --out $S/$v/seed-$seed --epochs 10 --max-train-windows 20000 --test-share 0.5 --selection --seed $seed
        done
      done
      docs/reports/smart-seeds-summary.sh $S > $S/seeds.md ;;
    pipeline)
      OMP_NUM_THREADS=1 ./vigil bench pipeline --devices 100,200,400,700,1000 --seconds 30 --out docs/reports/pipeline ;;
    soak)
      ./vigil bench soak --minutes 10 --devices 100 --hostile 0.01 --out docs/reports/soak ;;
    train-memory)
      ./vigil bench train-memory --epochs 50 --out docs/reports/train-memory ;;
    *) echo "regenerate.sh: unknown part '$part' (adxl356, skab, nab, smart, smart-selection, smart-seeds, pipeline, soak, train-memory)" >&2; exit 2 ;;
  esac
done
