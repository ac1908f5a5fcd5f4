package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/retsim/retsim/output"
)

// cohortData is retention data in the period,alive,cohort layout, with one
// cohort per label.
func cohortData(labels ...string) string {
	var b strings.Builder
	b.WriteString("period,alive,cohort\n")
	for _, l := range labels {
		for p, alive := range []int{1000, 631, 468, 382, 326} {
			b.WriteString(strings.Join([]string{strconv.Itoa(p), strconv.Itoa(alive), `"` + strings.ReplaceAll(l, `"`, `""`) + `"`}, ",") + "\n")
		}
	}
	return b.String()
}

// A cohort's name from the data file never leaves --out: fit --per-cohort
// writes each cohort's charts in cohort-NAME with NAME made safe.
func TestFitPerCohortStaysInsideOut(t *testing.T) {
	dir := t.TempDir()
	labels := []string{"/../../escaped", "../../../escaped2", `=HYPERLINK("x")`, "2021-01"}
	data := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(data, []byte(cohortData(labels...)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "a", "b", "out")
	code, _, stderr := cli(t, "fit", data, "--per-cohort", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && p != data && p != filepath.Join(dir, "a") && p != filepath.Join(dir, "a", "b") && !strings.HasPrefix(p, out) {
			t.Errorf("%s written outside --out", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range labels {
		p := filepath.Join(out, "cohort-"+output.SafeName(l), "fit_survival.png")
		if _, err := os.Stat(p); err != nil {
			t.Errorf("cohort %q: %v", l, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "cohort-2021-01", "fit_survival.svg")); err != nil {
		t.Errorf("a safe cohort name is not kept as it is: %v", err)
	}
}

// --emit-scenario onto anything but a regular file or a new file, with an
// extension retsim does not read, or extending a scenario that does not
// exist is refused with status 2 before anything is written.
func TestEmitScenarioRefusedBeforeWriting(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(data, []byte(regularSegment), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := unix.Mkfifo(fifo, 0o666); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub.yaml")
	if err := os.Mkdir(sub, 0o777); err != nil {
		t.Fatal(err)
	}
	// A device like /dev/null, made here so that a failure of this test
	// cannot replace the system's own.
	dev := filepath.Join(dir, "null.yaml")
	if err := unix.Mknod(dev, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
		t.Skipf("cannot make a device node: %v", err)
	}
	for _, tc := range []struct {
		name, target, want string
		extra              []string
	}{
		{"device", dev, "a device", nil},
		{"inside a device", filepath.Join(dev, "x.yaml"), "does not exist", nil},
		{"named pipe", fifo, "a named pipe", nil},
		{"directory", sub, "a directory", nil},
		{"text file", filepath.Join(dir, "x.txt"), ".yaml or .yml", nil},
		{"JSON file", filepath.Join(dir, "x.json"), ".yaml or .yml", nil},
		{"unknown base", filepath.Join(dir, "x.yaml"), "--base: nope: unknown built-in scenario", []string{"--base", "nope"}},
		{"missing base file", filepath.Join(dir, "x.yaml"), "none.yaml", []string{"--base", "none.yaml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadDir(dir)
			out := filepath.Join(dir, "out")
			code, _, stderr := cli(t, append([]string{"fit", data, "--out", out, "--emit-scenario", tc.target}, tc.extra...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d: %s", code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q lacks %q", stderr, tc.want)
			}
			if after, _ := os.ReadDir(dir); len(after) != len(before) {
				t.Errorf("%d entries in the directory after the refusal, %d before", len(after), len(before))
			}
			if st, err := os.Lstat(dev); err != nil || st.Mode()&os.ModeCharDevice == 0 {
				t.Error("the device was replaced")
			}
			if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
				t.Error("the named pipe was replaced")
			}
		})
	}
}

// A second run into an --out another run holds is refused with one line
// and status 1, and changes nothing there.
func TestSecondRunIntoOneOutIsRefused(t *testing.T) {
	out := t.TempDir()
	held, err := output.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := cli(t, append([]string{"run", "neutral", "--out", out}, small...)...)
	held.Close()
	if code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	if lines := strings.Split(strings.TrimSpace(stderr), "\n"); !strings.HasPrefix(lines[len(lines)-1], "retsim: --out "+out+": ") || !strings.Contains(stderr, "another retsim run is writing there") {
		t.Errorf("stderr %q", stderr)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("%d entries written into the locked --out", len(entries))
	}
	if code, _, stderr := cli(t, append([]string{"run", "neutral", "--out", out}, small...)...); code != exitOK {
		t.Errorf("once released: exit %d: %s", code, stderr)
	}
}

// A run into the --out of an earlier compare leaves none of the compare's
// outputs (comparison.csv, difference.png, ...) beside its own: --out holds
// exactly what files.json lists, and the files the user put there.
func TestRunAfterCompareLeavesNoStaleOutputs(t *testing.T) {
	out := t.TempDir()
	mine := filepath.Join(out, "notes.txt")
	if err := os.WriteFile(mine, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"compare", "taking", "giving"}, {"run", "giving"}} {
		if code, _, stderr := cli(t, append(append(args, "--out", out), small...)...); code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	want := map[string]bool{"notes.txt": true}
	for _, f := range listed(t, out) {
		want[f] = true
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") && !want[e.Name()] {
			t.Errorf("%s left in --out by the earlier compare", e.Name())
		}
		delete(want, e.Name())
	}
	if len(want) > 0 {
		t.Errorf("listed in files.json but absent: %v", want)
	}
	if b, err := os.ReadFile(mine); err != nil || string(b) != "mine" {
		t.Errorf("the user's file: %q, %v; want it untouched", b, err)
	}
}
