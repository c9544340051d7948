#!/bin/bash
# Submits a GistScope evaluation to Slurm: a job array of N shards (one `gistscope-cli eval
# --shard K/N` each) and a merge job that writes OUTDIR/table.md and table.json once every shard
# has succeeded.
#
#   submit-eval.sh --shards N --model M --dataset F --outdir D [--wait] [--sbatch "OPTS"] [-- eval options...]
#
# --sbatch passes options to both sbatch calls (partition, account, --gres=gpu:1, time limit).
# --wait returns when the merge job has ended (exit code 1 if it failed). GISTSCOPE_CLI names the
# binary the jobs run (default gistscope-cli on PATH); the jobs inherit this environment.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage="usage: $0 --shards N --model M --dataset F --outdir D [--wait] [--sbatch \"OPTS\"] [-- eval options...]"
shards="" model="" dataset="" outdir="" wait=0 sbatch_opts=""
while [ $# -gt 0 ]; do
  case $1 in
    --shards) shards=$2; shift 2 ;;
    --model) model=$2; shift 2 ;;
    --dataset) dataset=$2; shift 2 ;;
    --outdir) outdir=$2; shift 2 ;;
    --sbatch) sbatch_opts=$2; shift 2 ;;
    --wait) wait=1; shift ;;
    --help|-h) echo "$usage"; exit 0 ;;
    --) shift; break ;;
    *) echo "submit-eval.sh: unknown option $1" >&2; echo "$usage" >&2; exit 2 ;;
  esac
done
if [ -z "$shards" ] || [ -z "$model" ] || [ -z "$dataset" ] || [ -z "$outdir" ]; then
  echo "submit-eval.sh: --shards, --model, --dataset and --outdir are required" >&2; echo "$usage" >&2; exit 2
fi
case $shards in ''|*[!0-9]*) echo "submit-eval.sh: --shards is '$shards', expected a positive integer" >&2; exit 2 ;; esac
[ "$shards" -ge 1 ] || { echo "submit-eval.sh: --shards must be at least 1" >&2; exit 2; }
mkdir -p "$outdir/logs"
outdir=$(cd "$outdir" && pwd)
# shellcheck disable=SC2086  # sbatch_opts is a list of options
array=$(sbatch --parsable $sbatch_opts --array="1-$shards" --output="$outdir/logs/eval-%A_%a.log" \
  "$here/gistscope-eval.sbatch" "$model" "$dataset" "$outdir" "$shards" "$@")
array=${array%%;*}
wait_opt=()
[ "$wait" = 1 ] && wait_opt=(--wait)
echo "gistscope: array job $array ($shards shards), results in $outdir/shard-K-of-$shards.jsonl"
# shellcheck disable=SC2086
merge=$(sbatch --parsable $sbatch_opts "${wait_opt[@]}" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$outdir/logs/merge-%j.log" "$here/gistscope-merge.sbatch" "$outdir" "$shards")
echo "gistscope: merge job ${merge%%;*} writes $outdir/table.md and $outdir/table.json when all shards succeeded"
