#!/bin/bash
# Runs the sharded comparison on the cluster kubectl points at: the volume,
# the Indexed Job of shards, then, once every shard has completed, the merge.
# The image retsim:latest (Dockerfile) must be where the nodes can pull it;
# edit shards-job.yaml for the command and the count (completions,
# parallelism, RETSIM_SHARDS) and merge-job.yaml for the shard directories.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kubectl apply -f "$here/pvc.yaml"
kubectl apply -f "$here/shards-job.yaml"
kubectl wait --for=condition=complete job/retsim-shards --timeout="${TIMEOUT:-24h}"
kubectl apply -f "$here/merge-job.yaml"
kubectl wait --for=condition=complete job/retsim-merge --timeout="${TIMEOUT:-24h}"
kubectl logs job/retsim-merge
