package scenarios_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/retsim/retsim/scenarios"
)

// TestExactSeed gives the seed 2^53+1, which a float64 cannot hold, through
// each layer, and 2^64-1, the largest, through --set.
func TestExactSeed(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"s.yaml": "seed: 9007199254740993\n",
		"s.toml": "seed = 9007199254740993\n",
		"s.json": `{"seed": 9007199254740993}`,
	})
	const want = 9007199254740993
	for _, tc := range []struct {
		name string
		ref  string
		src  scenarios.Sources
		want uint64
	}{
		{"YAML file", filepath.Join(dir, "s.yaml"), scenarios.Sources{}, want},
		{"TOML file", filepath.Join(dir, "s.toml"), scenarios.Sources{}, want},
		{"JSON file", filepath.Join(dir, "s.json"), scenarios.Sources{}, want},
		{"--set", "neutral", scenarios.Sources{Sets: []string{"seed=9007199254740993"}}, want},
		{"environment", "neutral", scenarios.Sources{Env: []string{"RETSIM_SEED=9007199254740993"}}, want},
		{"flag", "neutral", scenarios.Sources{Flags: map[string]string{"seed": "9007199254740993"}}, want},
		{"largest", "neutral", scenarios.Sources{Sets: []string{"seed=18446744073709551615"}}, math.MaxUint64},
	} {
		s, err := scenarios.Load(tc.ref, tc.src)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if s.Config.Seed != tc.want {
			t.Errorf("%s: seed %d, want %d", tc.name, s.Config.Seed, tc.want)
		}
		var b strings.Builder
		if err := s.Show(&b); err != nil {
			t.Fatal(err)
		}
		if seed := strings.Fields(b.String()); seed[0] != "seed" || seed[1] != strconv.FormatUint(tc.want, 10) {
			t.Errorf("%s: Show gives the seed as %s, want %d", tc.name, seed[1], tc.want)
		}
	}
	a, _ := scenarios.Load("neutral", scenarios.Sources{Sets: []string{"seed=9007199254740992"}})
	b, _ := scenarios.Load("neutral", scenarios.Sources{Sets: []string{"seed=9007199254740993"}})
	if a == nil || b == nil || a.Config.Hash() == b.Config.Hash() {
		t.Error("seeds 2^53 and 2^53+1 give the same configuration hash")
	}
}

// TestRefusedFast refuses files and arguments far beyond every limit,
// with memory that grows no faster than their size: each is read at most
// a few times over, however deep or long.
func TestRefusedFast(t *testing.T) {
	dotted := strings.Repeat("a.", 100000) + "a"
	deep := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	cases := []struct {
		name, file, text string
		src              scenarios.Sources
		want             string
	}{
		{"TOML dotted key 100,000 deep", "s.toml", dotted + " = 1\n", scenarios.Sources{}, "line 1: a key with more than 16 dotted parts"},
		{"TOML table header 100,000 deep", "s.toml", "[" + dotted + "]\nx = 1\n", scenarios.Sources{}, "line 1: a key with more than 16 dotted parts"},
		{"TOML inline tables", "s.toml", "a = " + deep("{a=", "}", 50000) + "\n", scenarios.Sources{}, "line 1: nested more than 16 levels deep"},
		{"TOML arrays", "s.toml", "a = " + deep("[", "]", 50000) + "\n", scenarios.Sources{}, "line 1: nested more than 16 levels deep"},
		{"TOML long key", "s.toml", strings.Repeat("k", 200000) + " = 1\n", scenarios.Sources{}, "line 1: a key longer than 128 bytes"},
		{"YAML dotted key", "s.yaml", dotted + ": 1\n", scenarios.Sources{}, "s.yaml"},
		{"YAML flow mappings", "s.yaml", "a: " + deep("{a: ", "}", 50000) + "\n", scenarios.Sources{}, "line 1: nested more than 16 levels deep"},
		{"YAML block mappings", "s.yaml", blockYAML(400), scenarios.Sources{}, "nested more than 16 levels deep"},
		{"JSON objects", "s.json", deep(`{"a":`, "}", 50000), scenarios.Sources{}, "line 1: nested more than 16 levels deep"},
		{"JSON long key", "s.json", `{"` + dotted + `": 1}`, scenarios.Sources{}, "line 1: a key longer than 128 bytes"},
		{"--set long key", "", "", scenarios.Sources{Sets: []string{dotted + "=1"}}, "a key longer than 128 bytes"},
		{"--set key with many parts", "", "", scenarios.Sources{Sets: []string{strings.Repeat("a.", 40) + "=1"}}, "a key with more than 16 dotted parts"},
		{"environment long name", "", "", scenarios.Sources{Env: []string{"RETSIM_CHURN_" + strings.Repeat("A", 200000) + "=1"}}, "unknown parameter variable"},
	}
	dir := t.TempDir()
	for _, tc := range cases {
		ref, size := "neutral", 0
		for _, s := range append(tc.src.Sets, tc.src.Env...) {
			size += len(s)
		}
		if tc.file != "" {
			ref, size = filepath.Join(dir, tc.file), len(tc.text)
			if err := os.WriteFile(ref, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var err error
		allocated := allocatedBy(func() { _, err = scenarios.Load(ref, tc.src) })
		var e *scenarios.Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), tc.want) || len(err.Error()) > 400 {
			t.Errorf("%s: got %.400v, want a short *scenarios.Error containing %q", tc.name, err, tc.want)
		}
		if limit := uint64(20*size + 1<<20); allocated > limit {
			t.Errorf("%s: %d bytes allocated to refuse %d bytes, want at most %d", tc.name, allocated, size, limit)
		}
	}
}

// blockYAML is a YAML mapping nested depth levels deep by indentation.
func blockYAML(depth int) string {
	var b strings.Builder
	for i := range depth {
		fmt.Fprintf(&b, "%sa:\n", strings.Repeat(" ", i))
	}
	fmt.Fprintf(&b, "%sb: 1\n", strings.Repeat(" ", depth))
	return b.String()
}

// allocatedBy is the number of bytes f allocates on the heap.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestYAML12 loads a file that declares YAML 1.2, after a comment.
func TestYAML12(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"s.yaml": "# a scenario\n%YAML 1.2\n---\nextends: neutral\nchurn:\n  alpha: 0.7\n...\n"})
	s, err := scenarios.Load(filepath.Join(dir, "s.yaml"), scenarios.Sources{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Config.Churn.Alpha != 0.7 {
		t.Errorf("churn.alpha %v, want 0.7", s.Config.Churn.Alpha)
	}
}

// TestLoadStopsWhenCancelled loads with a cancelled context.
func TestLoadStopsWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"s.yaml": "seed: 1\n"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := scenarios.LoadContext(ctx, filepath.Join(dir, "s.yaml"), scenarios.Sources{})
	if want := "reading stopped: context canceled"; err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("got %v, want an error ending %q", err, want)
	}
}
