package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// CheckTarget makes sure path can take a file the user named: its
// directory exists and path is absent or a regular file. A directory, a
// symbolic link, a device such as /dev/null or a named pipe is refused, so
// that nothing but a regular file is ever replaced.
func CheckTarget(path string) error {
	if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
		return fmt.Errorf("%s: directory %s does not exist", path, filepath.Dir(path))
	}
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("%s: %w", path, err)
	case !st.Mode().IsRegular():
		return fmt.Errorf("%s: is %s; retsim replaces only regular files", path, kind(st.Mode()))
	}
	return nil
}

// Pending is a file written whole beside the path the user named, waiting
// to replace it with one rename.
type Pending struct {
	path string
	tmp  *os.File // locked (flock) while pending
	done bool     // committed or discarded
}

// Stage writes a file for path (see CheckTarget) in full, synced, to
// .NAME.retsim-tmp.EXT in path's directory, where EXT is path's extension
// (so loaders that go by extension read it) and NAME the rest of its base
// name, with mode 0666 less the umask. The temporary name is always the
// same for a path: one left by an interrupted run is reused and so cleaned
// up. Another process staging the same path at the same time is refused.
func Stage(path string, write func(io.Writer) error) (*Pending, error) {
	if err := CheckTarget(path); err != nil {
		return nil, err
	}
	base := filepath.Base(path)
	ext := filepath.Ext(base)
	tmp := filepath.Join(filepath.Dir(path), "."+strings.TrimSuffix(base, ext)+".retsim-tmp"+ext)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0o666)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	p := &Pending{path: path, tmp: f}
	fail := func(err error) (*Pending, error) {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return fail(fmt.Errorf("%s exists and is not a regular file", tmp))
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		return fail(fmt.Errorf("another retsim run is writing it: %w", err))
	}
	err = f.Truncate(0)
	if err == nil {
		err = write(f)
	}
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		p.Discard()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// TempPath is the staged file's path, to read it back before Commit.
func (p *Pending) TempPath() string { return p.tmp.Name() }

// Commit renames the staged file over the path, after checking again that
// the path is absent or a regular file.
func (p *Pending) Commit() error {
	if p.done {
		return fmt.Errorf("%s: already committed or discarded", p.path)
	}
	p.done = true
	defer p.tmp.Close()
	if err := CheckTarget(p.path); err != nil {
		os.Remove(p.tmp.Name())
		return err
	}
	if err := os.Rename(p.tmp.Name(), p.path); err != nil {
		os.Remove(p.tmp.Name())
		return fmt.Errorf("%s: %w", p.path, err)
	}
	return syncDir(filepath.Dir(p.path))
}

// Discard removes the staged file, unless committed or discarded already.
func (p *Pending) Discard() {
	if p.done {
		return
	}
	p.done = true
	os.Remove(p.tmp.Name())
	p.tmp.Close()
}
