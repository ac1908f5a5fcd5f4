package shard

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/sim"
)

// TestRangeTiles: the shards' ranges follow one another from 0 to the
// total, in sizes that differ by at most one.
func TestRangeTiles(t *testing.T) {
	for total := range 23 {
		for n := 1; n <= 7; n++ {
			next, small, large := 0, total, 0
			for i := range n {
				first, end := Spec{i, n}.Range(total)
				if first != next || end < first {
					t.Fatalf("total %d, shard %d/%d: %d to %d, want from %d", total, i, n, first, end, next)
				}
				small, large, next = min(small, end-first), max(large, end-first), end
			}
			if next != total || large-small > 1 {
				t.Errorf("total %d in %d shards: up to %d, sizes %d to %d", total, n, next, small, large)
			}
		}
	}
}

func TestParseSpec(t *testing.T) {
	cases := []struct {
		text  string
		count int
		env   map[string]string
		want  Spec
		err   string
	}{
		{"2/4", 0, nil, Spec{2, 4}, ""},
		{"0/1", 0, nil, Spec{0, 1}, ""},
		{"4/4", 0, nil, Spec{}, "0 <= I < N"},
		{"-1/4", 0, nil, Spec{}, "0 <= I < N"},
		{"a/4", 0, nil, Spec{}, "whole numbers"},
		{"3", 0, nil, Spec{}, "want I/N"},
		{"auto", 0, map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4"}, Spec{3, 4}, ""},
		{"auto", 0, map[string]string{"SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "4", "SLURM_ARRAY_TASK_COUNT": "4"}, Spec{3, 4}, ""},
		{"auto", 0, map[string]string{"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4"}, Spec{}, "--array=0-N-1"},
		{"auto", 0, map[string]string{"JOB_COMPLETION_INDEX": "1", "RETSIM_SHARDS": "3"}, Spec{1, 3}, ""},
		{"auto", 5, map[string]string{"JOB_COMPLETION_INDEX": "4", "RETSIM_SHARDS": "3"}, Spec{4, 5}, ""},
		{"auto", 0, map[string]string{"JOB_COMPLETION_INDEX": "1"}, Spec{}, "--shards N or RETSIM_SHARDS"},
		{"auto", 0, nil, Spec{}, "neither SLURM_ARRAY_TASK_ID"},
	}
	for _, c := range cases {
		got, err := ParseSpec(c.text, c.count, func(k string) string { return c.env[k] })
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s %v: error %v, want one with %q", c.text, c.env, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s %v: %v, %v; want %v", c.text, c.env, got, err, c.want)
		}
	}
}

// tiny is a scenario that runs in milliseconds, with replications reps.
func tiny(reps int) sim.Scenario {
	cfg := sim.Default()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 200, 6, reps
	return sim.Scenario{Name: "tiny", Config: cfg}
}

// writeSet writes the lockstep scs as n shards into n directories under
// dir and returns them.
func writeSet(t testing.TB, dir string, n int, scs []sim.Scenario) []string {
	t.Helper()
	var dirs []string
	for i := range n {
		spec := Spec{i, n}
		m := &Manifest{Format: Format, Engine: "test", Command: []string{"run", "tiny"}, Seed: scs[0].Config.Seed, Shard: i, Shards: n}
		m.Parts = []Part{ReplicationsPart("part-0.gob", scs, spec)}
		m.Seal([]byte("tiny"))
		d := filepath.Join(dir, fmt.Sprint(i))
		out, err := output.Open(d)
		if err != nil {
			t.Fatal(err)
		}
		_, err = out.Publish(context.Background(), []output.File{ReplicationsFile(context.Background(), &m.Parts[0], scs, sim.Options{}), ManifestFile(m)})
		out.Close()
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
	}
	return dirs
}

// TestStreamIsTheSimulation: the replications read from 3 shards are
// those sim.Stream simulates, every field, in order.
func TestStreamIsTheSimulation(t *testing.T) {
	scs := []sim.Scenario{tiny(5), tiny(5)}
	scs[1].Config.Policy.Giving = 1
	var want [][]sim.Replication
	if err := sim.Stream(context.Background(), scs, sim.Options{}, func(_ int, reps []*sim.Replication) error {
		want = append(want, []sim.Replication{*reps[0], *reps[1]})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	set, err := Open(writeSet(t, t.TempDir(), 3, scs), "test")
	if err != nil {
		t.Fatal(err)
	}
	next := 0
	err = set.Stream(context.Background(), scs, sim.Options{}, func(i int, reps []*sim.Replication) error {
		if i != next {
			t.Fatalf("replication %d visited after %d", i, next-1)
		}
		for k, r := range reps {
			if !reflect.DeepEqual(*r, want[i][k]) {
				t.Errorf("replication %d of configuration %d differs from the simulation", i, k)
			}
		}
		next++
		return nil
	})
	if err != nil || next != 5 {
		t.Errorf("read %d replications, error %v; want 5", next, err)
	}
	other := []sim.Scenario{tiny(5)}
	if err := set.Stream(context.Background(), other, sim.Options{}, func(int, []*sim.Replication) error { return nil }); err == nil {
		t.Error("read replications of configurations the shards do not hold")
	}
}

// TestNegativeZeroKept: a record keeps the sign of a zero equity, which a
// gob struct field would lose.
func TestNegativeZeroKept(t *testing.T) {
	var b bytes.Buffer
	rep := sim.Replication{Equity: math.Copysign(0, -1)}
	rec := record{Reps: make([]sim.Replication, 1), Equity: make([]float64, 1)}
	if err := rec.encode(gob.NewEncoder(&b), 0, []*sim.Replication{&rep}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "part")
	if err := os.WriteFile(path, b.Bytes(), 0o666); err != nil {
		t.Fatal(err)
	}
	p := Part{First: 0, End: 1, SHA256: fmt.Sprintf("%x", sha256.Sum256(b.Bytes()))}
	err := readPart(context.Background(), path, p, 1, func(_ int, reps []*sim.Replication) error {
		if !math.Signbit(reps[0].Equity) {
			t.Errorf("equity %v, want -0", reps[0].Equity)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOpenRefuses: shards of another run, missing or given twice, a
// changed data file.
func TestOpenRefuses(t *testing.T) {
	scs := []sim.Scenario{tiny(4)}
	dir := t.TempDir()
	dirs := writeSet(t, dir, 2, scs)
	other := tiny(4)
	other.Config.Seed++
	seeds := writeSet(t, filepath.Join(dir, "seed"), 2, []sim.Scenario{other})
	if _, err := Open(dirs, "another build"); err == nil || !strings.Contains(err.Error(), "made by test, this is another build") {
		t.Errorf("another build: %v", err)
	}
	if _, err := Open([]string{dirs[0], seeds[1]}, "test"); err == nil || !strings.Contains(err.Error(), "different seeds") {
		t.Errorf("another seed: %v", err)
	}
	if _, err := Open([]string{dirs[1]}, "test"); err == nil || !strings.Contains(err.Error(), "missing 1 of 2 shards: 0/2") {
		t.Errorf("missing: %v", err)
	}
	if _, err := Open([]string{dirs[0], dirs[1], dirs[0]}, "test"); err == nil || !strings.Contains(err.Error(), "shard 0/2 given twice") {
		t.Errorf("twice: %v", err)
	}
	// The manifest of shard 1 records another checksum.
	p := filepath.Join(dirs[1], ManifestName)
	b, _ := os.ReadFile(p)
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m.Parts[0].SHA256 = strings.Repeat("0", 64)
	b, _ = json.Marshal(&m)
	if err := os.WriteFile(p, b, 0o666); err != nil {
		t.Fatal(err)
	}
	set, err := Open(dirs, "test")
	if err != nil {
		t.Fatal(err)
	}
	err = set.Stream(context.Background(), scs, sim.Options{}, func(int, []*sim.Replication) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("changed data: %v", err)
	}
}
