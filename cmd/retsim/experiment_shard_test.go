package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/retsim/retsim/shard"
)

// TestExperimentShardsMergeToTheSameBytes runs a Saltelli experiment (8
// design points) in one process, then as N shards merged in a shuffled
// order, with the same --out from another directory, and wants every
// output file (experiment.csv, replications.csv, sobol.csv, the charts,
// files.json) and the printed summary byte for byte the same: for 4
// shards, for a count that does not divide the points, and for more
// shards than points (some shards hold none).
func TestExperimentShardsMergeToTheSameBytes(t *testing.T) {
	design := designDir(t, saltelliDesign)
	args := []string{"experiment", design, "--per-replication"}
	single := t.TempDir()
	t.Chdir(single)
	code, want, stderr := cli(t, append(slices.Clone(args), "--out", "out")...)
	if code != exitOK {
		t.Fatalf("single process: exit %d: %s", code, stderr)
	}
	a := outputSet(t, filepath.Join(single, "out"))
	for _, name := range []string{"experiment.csv", "replications.csv", "sobol.csv", "sobol.png", "sobol.svg"} {
		if a[name] == nil {
			t.Fatalf("the single process wrote no %s", name)
		}
	}
	for _, n := range []int{4, 3, 10} {
		sharded := t.TempDir()
		t.Chdir(sharded)
		dirs := writeShards(t, ".", n, append(slices.Clone(args), "--workers", "1")...)
		slices.Reverse(dirs)
		dirs[0], dirs[1] = dirs[1], dirs[0]
		code, got, stderr := cli(t, append([]string{"merge", "--out", "out"}, dirs...)...)
		if code != exitOK {
			t.Fatalf("%d shards: merge: exit %d: %s", n, code, stderr)
		}
		if got != want {
			t.Errorf("%d shards: merge printed\n%s\nthe single process\n%s", n, got, want)
		}
		b := outputSet(t, filepath.Join(sharded, "out"))
		if len(a) != len(b) {
			t.Errorf("%d shards: merge wrote %d files, the single process %d", n, len(b), len(a))
		}
		for name, data := range a {
			if string(b[name]) != string(data) {
				t.Errorf("%d shards: %s differs from the single process's", n, name)
			}
		}
	}
}

// TestExperimentMergeRefuses gives merge shards that are not the shards
// of one experiment, each set once: a shard made after the design file,
// its seed or the scenario file changed (same command line), shards
// missing or given twice, a shard's data changed. Each is refused in one
// line naming the problem, with nothing written.
func TestExperimentMergeRefuses(t *testing.T) {
	design := designDir(t, saltelliDesign)
	scenario := filepath.Join(filepath.Dir(design), "small.yaml")
	args := []string{"experiment", design}
	dir := t.TempDir()
	good := writeShards(t, filepath.Join(dir, "good"), 4, args...)
	// other writes shard 3/4 with file holding text in place of its own.
	other := func(name, file, text string) string {
		t.Helper()
		old, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.WriteFile(file, old, 0o644)
		p := filepath.Join(dir, name)
		code, _, stderr := cli(t, append(slices.Clone(args), "--shard", "3/4", "--out", p)...)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		return p
	}
	range6 := other("design", design, strings.Replace(saltelliDesign, "max: 5", "max: 6", 1))
	outcomes := other("outcomes", design, strings.Replace(saltelliDesign, "final_nps", "final_active", 1))
	seed := other("seed", design, saltelliDesign+"seed: 9\n")
	world := other("scenario", scenario, "extends: baseline\npopulation:\n  initial: 120\nhorizon:\n  periods: 6\n")
	corrupt := writeShards(t, filepath.Join(dir, "corrupt"), 2, args...)
	p := filepath.Join(corrupt[1], pointsFile)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, append(b, "7,0.5,1,0,final_nps,1\n"...), 0o644); err != nil {
		t.Fatal(err)
	}

	refusedMerges(t, []mergeRefusal{
		{"design range", []string{good[0], good[1], good[2], range6}, exitUsage, "shards of different configurations"},
		{"outcomes", []string{good[0], good[1], good[2], outcomes}, exitUsage, "shards of different configurations"},
		{"seed", []string{good[0], good[1], good[2], seed}, exitUsage, "shards of different seeds"},
		{"scenario", []string{good[0], good[1], good[2], world}, exitUsage, "shards of different configurations"},
		{"missing", []string{good[3], good[1]}, exitUsage, "missing 2 of 4 shards: 0/4, 2/4"},
		{"duplicated", []string{good[0], good[1], good[2], good[2], good[3]}, exitUsage, "shard 2/4 given twice"},
		{"changed data", corrupt, exitFailure, pointsFile},
	})
}

// TestExperimentShardAuto runs --shard auto as the pod of a Kubernetes
// Indexed Job would (JOB_COMPLETION_INDEX, the count from --shards) and
// reads the shard's index, count and block of design points back from
// its manifest.
func TestExperimentShardAuto(t *testing.T) {
	t.Setenv("SLURM_ARRAY_TASK_ID", "")
	t.Setenv("JOB_COMPLETION_INDEX", "2")
	design := designDir(t, saltelliDesign)
	out := t.TempDir()
	code, stdout, stderr := cli(t, "experiment", design, "--shard", "auto", "--shards", "3", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m := shardManifest(t, out)
	// 8 points in 3 shards: 0-1, 2-4, 5-7.
	if p := m.Parts[0]; m.Shard != 2 || m.Shards != 3 || p.Kind != shard.KindPoints || p.First != 5 || p.End != 8 || p.Total != 8 {
		t.Errorf("shard %d/%d holding %s %d to %d of %d, want 2/3 holding points 5 to 8 of 8", m.Shard, m.Shards, p.Kind, p.First, p.End, p.Total)
	}
	if !strings.Contains(stdout, "points 5 to 7 of 8") {
		t.Errorf("stdout %q does not name the shard's points", stdout)
	}
}
