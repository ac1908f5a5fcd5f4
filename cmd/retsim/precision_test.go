package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// simulatedLine is the line of stderr that counts the customer-months a
// command simulated.
var simulatedLine = regexp.MustCompile(`simulated [^ ]+ customer-months`)

// A command grown with --precision from 3 replications to its cap writes
// the same files, byte for byte, as the command run with --replications
// at that cap, but for the command line that files.json and report.html
// record; and it simulates the same customer-months, so each replication
// once (TestSweepGrownEqualsOneRun counts the sweep's). The comparison grows past the 200 values an accumulator keeps
// exactly (3, 6, ..., 192, 205); the run has uncertain parameters, whose
// central runs grow alongside; the sweep is against a reference.
func TestPrecisionEqualsARunOfTheFinalCount(t *testing.T) {
	skipUnderRace(t)
	set := []string{"--set", "population.initial=200", "--set", "horizon.periods=8"}
	for _, tc := range []struct {
		args    []string
		cap     string
		counted bool // stderr counts the customer-months simulated (the sweep's Sweeper is counted in compare's tests)
	}{
		{[]string{"compare", "taking", "giving"}, "205", true},
		{[]string{"run", "giving-uncertain"}, "25", true},
		{[]string{"sweep", "baseline", "--param", "policy.giving=0:1:2", "--against", "taking"}, "25", false},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			grown, plain := t.TempDir(), t.TempDir()
			var simulated []string
			for _, r := range []struct {
				out  string
				args []string
			}{
				{grown, []string{"--replications", "3", "--precision", "1e-9", "--max-replications", tc.cap}},
				{plain, []string{"--replications", tc.cap}},
			} {
				code, _, stderr := cli(t, append(append(append(tc.args, "--out", r.out), r.args...), set...)...)
				if code != exitOK {
					t.Fatalf("%v: exit %d: %s", r.args, code, stderr)
				}
				simulated = append(simulated, simulatedLine.FindString(stderr))
			}
			if simulated[0] != simulated[1] || (simulated[0] == "") == tc.counted {
				t.Errorf("grown run %q, plain run %q: want the same customer-months", simulated[0], simulated[1])
			}
			files := listed(t, plain)
			if len(files) < 2 {
				t.Fatalf("files.json lists %d files: %v", len(files), files)
			}
			for _, f := range files {
				a, b := withoutCommand(t, grown, f), withoutCommand(t, plain, f)
				if !bytes.Equal(a, b) {
					t.Errorf("%s differs between the grown run and the plain run", f)
				}
			}
		})
	}
}

// listed is the files that files.json in dir lists.
func listed(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "files.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ix struct{ Files []string }
	if err := json.Unmarshal(b, &ix); err != nil {
		t.Fatal(err)
	}
	return ix.Files
}

// withoutCommand is file f of dir with the command line that made it, as
// files.json records it, replaced by COMMAND.
func withoutCommand(t *testing.T, dir, f string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, f))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := os.ReadFile(filepath.Join(dir, "files.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Command string }
	if err := json.Unmarshal(ix, &m); err != nil || m.Command == "" {
		t.Fatalf("files.json: no command line (%v)", err)
	}
	cmd, _ := json.Marshal(m.Command)
	b = bytes.ReplaceAll(b, cmd[1:len(cmd)-1], []byte("COMMAND")) // as JSON writes it
	return bytes.ReplaceAll(b, []byte(m.Command), []byte("COMMAND"))
}
