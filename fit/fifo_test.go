//go:build unix

package fit

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A named pipe is refused at once, not read until something writes to it.
func TestReadFileRefusesANamedPipe(t *testing.T) {
	pipe := filepath.Join(t.TempDir(), "pipe.csv")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := ReadFile(context.Background(), pipe)
		done <- err
	}()
	select {
	case err := <-done:
		if want := pipe + ": is a named pipe (FIFO), not a regular file"; err == nil || err.Error() != want {
			t.Errorf("got %v, want %s", err, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("still reading after 5 s")
	}
}
