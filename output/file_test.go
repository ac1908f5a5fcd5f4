package output

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// A file the user names replaces only a regular file or nothing; devices,
// named pipes, directories and symbolic links are refused by CheckTarget
// and Stage, and left as they were.
func TestStageRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := unix.Mkfifo(fifo, 0o666); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "dir.yaml")
	if err := os.Mkdir(sub, 0o777); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "target.yaml")
	if err := os.WriteFile(target, []byte("target"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A device like /dev/null, made here so that a failure of this test
	// cannot replace the system's own.
	dev := filepath.Join(dir, "null.yaml")
	if err := unix.Mknod(dev, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
		t.Skipf("cannot make a device node: %v", err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{dev, "a device"},
		{fifo, "a named pipe"},
		{sub, "a directory"},
		{link, "a symbolic link"},
		{filepath.Join(dir, "none", "x.yaml"), "does not exist"},
	} {
		before, _ := os.Lstat(tc.path)
		if err := CheckTarget(tc.path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckTarget(%s): %v, want %q", tc.path, err, tc.want)
		}
		if _, err := Stage(tc.path, text("new")); err == nil {
			t.Errorf("Stage(%s) accepted", tc.path)
		}
		if after, _ := os.Lstat(tc.path); before != nil && (after == nil || after.Mode() != before.Mode()) {
			t.Errorf("%s changed from %v", tc.path, before.Mode())
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "target" {
		t.Errorf("the link's target changed to %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 5 {
		t.Errorf("%d entries in the directory, want the 5 made by the test", len(entries))
	}
}

// Stage writes beside the target and Commit replaces it in one rename;
// Discard leaves it; a temporary file left by an interrupted run is reused
// and so removed; a second Stage of a path already staged is refused.
func TestStageCommitDiscard(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	leftover := filepath.Join(dir, ".s.retsim-tmp.yaml")
	if err := os.WriteFile(leftover, []byte("left by a killed run, and longer than the new content"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Stage(target, text("new"))
	if err != nil {
		t.Fatal(err)
	}
	if p.TempPath() != leftover {
		t.Errorf("staged at %s, want %s", p.TempPath(), leftover)
	}
	if b, _ := os.ReadFile(p.TempPath()); string(b) != "new" {
		t.Errorf("staged content %q", b)
	}
	if _, err := Stage(target, text("other")); err == nil {
		t.Error("second Stage of the same path accepted")
	}
	if b, _ := os.ReadFile(target); string(b) != "old" {
		t.Errorf("target changed before Commit: %q", b)
	}
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	p.Discard() // after Commit: nothing to do
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("after Commit: %q", b)
	}
	q, err := Stage(target, text("discarded"))
	if err != nil {
		t.Fatal(err)
	}
	q.Discard()
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("after Discard: %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d entries, want only the target", len(entries))
	}
	failing := func(io.Writer) error { return errors.New("boom") }
	if _, err := Stage(target, failing); err == nil {
		t.Error("failing writer accepted")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries after a failed Stage, want only the target", len(entries))
	}
}

// A named file is created with mode 0666 less the umask.
func TestStageModeFollowsTheUmask(t *testing.T) {
	old := unix.Umask(0o027)
	defer unix.Umask(old)
	target := filepath.Join(t.TempDir(), "s.yaml")
	p, err := Stage(target, text("x"))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(target); err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v (%v), want 0640", st.Mode().Perm(), err)
	}
}
