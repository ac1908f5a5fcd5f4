package input

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	text := strings.Repeat("x", 3*chunk+1)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(context.Background(), p, int64(len(text))); err != nil || string(b) != text {
		t.Errorf("read %d bytes, %v; want all %d", len(b), err, len(text))
	}
	var tl *TooLargeError
	if _, err := ReadFile(context.Background(), p, 2*chunk); !errors.As(err, &tl) || err.Error() != "larger than the 128 KiB a file may have" {
		t.Errorf("got %v, want a *TooLargeError for 128 KiB", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadFile(ctx, p, 1<<20); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
	if _, err := ReadFile(context.Background(), p+"-none", 1); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: got %v", err)
	}
}
