package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/shard"
)

// writeShards runs args as n shards, shard i into dir/s<i>, and returns
// their directories.
func writeShards(t *testing.T, dir string, n int, args ...string) []string {
	t.Helper()
	dirs := make([]string, n)
	for i := range n {
		dirs[i] = filepath.Join(dir, fmt.Sprintf("s%d", i))
		code, _, stderr := cli(t, append(slices.Clone(args), "--shard", fmt.Sprintf("%d/%d", i, n), "--out", dirs[i])...)
		if code != exitOK {
			t.Fatalf("shard %d/%d: exit %d: %s", i, n, code, stderr)
		}
	}
	return dirs
}

// outputSet reads every file that files.json in dir lists, by name.
func outputSet(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, output.IndexName))
	if err != nil {
		t.Fatal(err)
	}
	var ix output.Index
	if err := json.Unmarshal(b, &ix); err != nil {
		t.Fatal(err)
	}
	set := map[string][]byte{}
	for _, name := range ix.Files {
		if set[name], err = os.ReadFile(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	return set
}

// TestShardsMergeToTheSameBytes runs a command in one process, then as
// shards merged in a shuffled order, with the same --out (relative, from
// another directory), and wants every output file (data, charts,
// report.html, files.json) and the printed summary byte for byte the same.
func TestShardsMergeToTheSameBytes(t *testing.T) {
	skipUnderRace(t)
	cases := []struct {
		name   string
		shards int
		args   []string
		more   []string // flags of the shards only
	}{
		{"run", 4, append([]string{"run", "baseline", "--replications", "6"}, small[2:]...), nil},
		{"run with assumptions", 3, append([]string{"run", "giving-uncertain", "--replications", "5"}, small[2:]...), nil},
		{"compare, shards with --workers", 4, append([]string{"compare", "taking", "giving", "--replications", "7"}, small[2:]...), []string{"--workers", "1"}},
		{"compare --independent", 4, append([]string{"compare", "taking", "giving", "--independent", "--replications", "5"}, small[2:]...), nil},
		{"compare --decompose-groups", 4, append([]string{"compare", "taking", "giving", "--decompose-groups", "policy.giving+taking+giving", "--replications", "5"}, small[2:]...), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			single, sharded := t.TempDir(), t.TempDir()
			t.Chdir(single)
			code, want, stderr := cli(t, append(slices.Clone(c.args), "--out", "out")...)
			if code != exitOK {
				t.Fatalf("single process: exit %d: %s", code, stderr)
			}
			t.Chdir(sharded)
			dirs := writeShards(t, ".", c.shards, append(slices.Clone(c.args), c.more...)...)
			slices.Reverse(dirs)
			dirs[0], dirs[1] = dirs[1], dirs[0]
			code, got, stderr := cli(t, append([]string{"merge", "--out", "out"}, dirs...)...)
			if code != exitOK {
				t.Fatalf("merge: exit %d: %s", code, stderr)
			}
			if got != want {
				t.Errorf("merge printed\n%s\nthe single process\n%s", got, want)
			}
			a, b := outputSet(t, filepath.Join(single, "out")), outputSet(t, filepath.Join(sharded, "out"))
			if len(a) != len(b) {
				t.Errorf("merge wrote %d files, the single process %d", len(b), len(a))
			}
			for name, data := range a {
				if string(b[name]) != string(data) {
					t.Errorf("%s differs from the single process's", name)
				}
			}
		})
	}
}

// editManifest rewrites the manifest of the shard in dir with edit.
func editManifest(t *testing.T, dir string, edit func(*shard.Manifest)) {
	t.Helper()
	p := filepath.Join(dir, shard.ManifestName)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var m shard.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	edit(&m)
	if b, err = json.Marshal(&m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o666); err != nil {
		t.Fatal(err)
	}
}

// TestMergeRefuses gives merge shards that are not the shards of one run,
// each set once, and wants a one-line refusal naming the problem, with
// nothing written.
func TestMergeRefuses(t *testing.T) {
	base := append([]string{"run", "baseline", "--replications", "4"}, small[2:]...)
	dir := t.TempDir()
	good := writeShards(t, filepath.Join(dir, "good"), 4, base...)
	// a shard made with another value of each: RETSIM_ variables change
	// the configuration but not the command line.
	other := func(name string, env map[string]string, args ...string) string {
		for k, v := range env {
			t.Setenv(k, v)
		}
		defer func() {
			for k := range env {
				os.Unsetenv(k)
			}
		}()
		p := filepath.Join(dir, name)
		code, _, stderr := cli(t, append(append(slices.Clone(base), args...), "--shard", "3/4", "--out", p)...)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		return p
	}
	seed := other("seed", map[string]string{"RETSIM_SEED": "99"})
	config := other("config", map[string]string{"RETSIM_CHURN_ALPHA": "0.9"})
	command := other("command", nil, "--allow-large")
	version := other("version", nil)
	editManifest(t, version, func(m *shard.Manifest) { m.Engine = "retsim 0.0.1 (built with go1.1, plan9/386)" })
	split := filepath.Join(dir, "split")
	writeShards(t, split, 3, base...)
	notShard := t.TempDir()
	corrupt := writeShards(t, filepath.Join(dir, "corrupt"), 2, base...)
	p := filepath.Join(corrupt[1], "part-0.gob")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] ^= 1
	if err := os.WriteFile(p, b, 0o666); err != nil {
		t.Fatal(err)
	}

	refusedMerges(t, []mergeRefusal{
		{"seed", []string{good[0], good[1], good[2], seed}, exitUsage, "shards of different seeds"},
		{"configuration", []string{good[0], good[1], good[2], config}, exitUsage, "shards of different configurations"},
		{"command", []string{good[0], good[1], good[2], command}, exitUsage, "shards of different commands"},
		{"version", []string{good[0], good[1], good[2], version}, exitUsage, "shards of different versions"},
		{"count", []string{good[0], good[1], filepath.Join(split, "s2")}, exitUsage, "shards of different splits"},
		{"missing", []string{good[0], good[2]}, exitUsage, "missing 2 of 4 shards: 1/4, 3/4"},
		{"duplicated", []string{good[0], good[1], good[1], good[2], good[3]}, exitUsage, "shard 1/4 given twice"},
		{"not a shard", []string{good[0], notShard}, exitUsage, "not a shard"},
		{"changed data", corrupt, exitFailure, "part-0.gob"},
	})
}

// mergeRefusal is a merge of dirs that must exit with code and one line
// holding want.
type mergeRefusal struct {
	name string
	dirs []string
	code int
	want string
}

// refusedMerges runs each merge and checks it is refused in one line and
// writes no output set.
func refusedMerges(t *testing.T, cases []mergeRefusal) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, _, stderr := cli(t, append([]string{"merge", "--out", out}, c.dirs...)...)
			if code != c.code || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit %d and one line with %q", code, stderr, c.code, c.want)
			}
			if _, err := os.Stat(filepath.Join(out, output.IndexName)); err == nil {
				t.Errorf("a refused merge wrote %s", output.IndexName)
			}
		})
	}
}

// TestShardAutoFromTheEnvironment runs --shard auto as a Kubernetes
// Indexed Job's pod and a Slurm array task would, and reads the shard's
// index and count back from its manifest.
func TestShardAutoFromTheEnvironment(t *testing.T) {
	cases := []struct {
		name  string
		env   map[string]string
		flags []string
		index int
		count int
	}{
		{"kubernetes, count from RETSIM_SHARDS", map[string]string{"JOB_COMPLETION_INDEX": "2", "RETSIM_SHARDS": "4"}, nil, 2, 4},
		{"kubernetes, count from --shards", map[string]string{"JOB_COMPLETION_INDEX": "1"}, []string{"--shards", "3"}, 1, 3},
		{"slurm", map[string]string{"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "4", "SLURM_ARRAY_TASK_COUNT": "2"}, nil, 1, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			out := t.TempDir()
			args := append(append([]string{"run", "baseline", "--replications", "4"}, small[2:]...), "--shard", "auto", "--out", out)
			code, _, stderr := cli(t, append(args, c.flags...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			m := shardManifest(t, out)
			first, end := shard.Spec{Index: c.index, Count: c.count}.Range(4)
			if m.Shard != c.index || m.Shards != c.count || m.Parts[0].First != first || m.Parts[0].End != end {
				t.Errorf("shard %d/%d holding %d to %d, want %d/%d holding %d to %d",
					m.Shard, m.Shards, m.Parts[0].First, m.Parts[0].End, c.index, c.count, first, end)
			}
		})
	}
}

// TestShardRefusals: what a shard cannot split, and --shard auto outside a
// batch system, are usage errors before anything is written.
func TestShardRefusals(t *testing.T) {
	for _, k := range []string{"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"} {
		t.Setenv(k, "")
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"run", "baseline", "--shard", "4/4"}, "0 <= I < N"},
		{[]string{"run", "baseline", "--shard", "1"}, "want I/N"},
		{[]string{"run", "baseline", "--shard", "auto"}, "neither SLURM_ARRAY_TASK_ID"},
		{[]string{"run", "baseline", "--shards", "4"}, "give --shard auto too"},
		{[]string{"run", "baseline", "--shard", "0/2", "--precision", "100"}, "cannot split a run with --precision"},
		{[]string{"compare", "taking", "giving-uncertain", "--shard", "0/2", "--flip", "all"}, "cannot split a run with --flip"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, _, stderr := cli(t, append(c.args, "--out", out)...)
			if code != exitUsage || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d with %q", code, stderr, exitUsage, c.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a refused shard created %s", out)
			}
		})
	}
}

// TestShardGuardsItsShare: the resource guards weigh what a shard
// simulates, its share of the replications, not the whole run's.
func TestShardGuardsItsShare(t *testing.T) {
	args := []string{"run", "baseline", "--replications", "10000", "--set", "population.initial=100000", "--set", "market.potential=0"}
	code, _, stderr := cli(t, append(args, "--out", filepath.Join(t.TempDir(), "out"))...)
	if code != exitUsage || !strings.Contains(stderr, "exceeds the limit") {
		t.Fatalf("the whole run: exit %d, %q; want the work guard's refusal", code, stderr)
	}
	// More shards than replications: this shard simulates none.
	code, stdout, stderr := cli(t, append(args, "--shard", "0/20000", "--out", filepath.Join(t.TempDir(), "out"))...)
	if code != exitOK || !strings.Contains(stdout, "no replications") {
		t.Errorf("a shard of none: exit %d, %q %q; want it written", code, stdout, stderr)
	}
}

// shardManifest reads the manifest a shard wrote into dir.
func shardManifest(t *testing.T, dir string) shard.Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, shard.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var m shard.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
