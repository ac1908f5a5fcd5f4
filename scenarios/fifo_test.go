//go:build unix

package scenarios_test

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/retsim/retsim/scenarios"
)

// TestNamedPipeRefused loads a named pipe, and a file that extends one: each
// is refused at once, naming the pipe, rather than waiting forever for
// something to write to it.
func TestNamedPipeRefused(t *testing.T) {
	dir := t.TempDir()
	pipe := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	writeFiles(t, dir, map[string]string{"child.yaml": "extends: pipe.yaml\n"})
	for _, tc := range []struct {
		ref, file, key, msg string
	}{
		{pipe, pipe, "", "is a named pipe (FIFO), not a regular file"},
		{filepath.Join(dir, "child.yaml"), filepath.Join(dir, "child.yaml"), "extends", `"` + pipe + `": is a named pipe (FIFO), not a regular file`},
	} {
		done := make(chan error, 1)
		go func() {
			_, err := scenarios.Load(tc.ref, scenarios.Sources{})
			done <- err
		}()
		select {
		case err := <-done:
			var e *scenarios.Error
			if !errors.As(err, &e) || e.File != tc.file || e.Key != tc.key || e.Msg != tc.msg {
				t.Errorf("%s: got %v, want %s: %s: %s", tc.ref, err, tc.file, tc.key, tc.msg)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: still loading after 5 s", tc.ref)
		}
	}
}
