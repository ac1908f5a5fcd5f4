//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A named pipe given as a scenario, as the parent of one, or as data to
// fit is refused at once with status 2 and one line naming it, instead of
// waiting forever for something to write to it.
func TestNamedPipesRefused(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"pipe.yaml", "pipe.csv"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Skip("no named pipes here:", err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "child.yaml"), []byte("extends: pipe.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pipe := "is a named pipe (FIFO), not a regular file"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", filepath.Join(dir, "pipe.yaml")}, "pipe.yaml: " + pipe},
		{[]string{"validate", filepath.Join(dir, "child.yaml")}, "child.yaml: extends: \"" + filepath.Join(dir, "pipe.yaml") + "\": " + pipe},
		{[]string{"fit", filepath.Join(dir, "pipe.csv")}, "pipe.csv: " + pipe},
	} {
		type result struct {
			code   int
			stderr string
		}
		done := make(chan result, 1)
		go func() {
			code, _, stderr := cli(t, tc.args...)
			done <- result{code, stderr}
		}()
		select {
		case r := <-done:
			if r.code != exitUsage || strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(strings.TrimSpace(r.stderr), tc.want) {
				t.Errorf("%v: exit %d, stderr %q; want %d and one line ending %q", tc.args, r.code, r.stderr, exitUsage, tc.want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%v: still running after 10 s", tc.args)
		}
	}
}
