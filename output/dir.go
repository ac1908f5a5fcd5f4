package output

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// An output directory holds its output set in generations, so that the
// set changes in one atomic step:
//
//	OUT/.retsim/gen-N/...   one generation: a complete output set
//	OUT/.retsim/current     symbolic link to the generation in force (gen-N)
//	OUT/NAME                symbolic link to .retsim/current/NAME, one for
//	                        each top-level name retsim wrote
//
// Publishing writes a new generation, then switches current to it with one
// rename(2). A reader opening OUT/NAME therefore resolves current once and
// gets the file of one complete set, the old or the new; a crash at any
// point leaves current naming a complete generation.
const (
	metaDir     = ".retsim"
	currentLink = "current"
	genPrefix   = "gen-"
	lockName    = "lock"     // in .retsim: the file Open locks
	linkTemp    = "link.new" // in .retsim: a link being made, renamed into place when whole
	newSuffix   = ".new"     // a file being adopted, renamed into place when whole
)

// ErrLocked is the error of Open when another process holds the output
// directory.
var ErrLocked = errors.New("another retsim run is writing there; wait for it to finish or choose another --out")

// afterStep is called after each step of Publish that changes the file
// system; tests use it to stop the process between any two steps.
var afterStep = func(step string) {}

// File is one output file: its name within the output set (a slash
// separates a subdirectory, as in cohort-a/fit_survival.png) and what
// writes its content.
type File struct {
	Name  string
	Write func(io.Writer) error
}

// Dir is an output directory locked by this process.
type Dir struct {
	path string
	lock *os.File // .retsim/lock, flock(2)ed exclusively
}

// Open creates the directory path if needed, with mode 0777 less the umask,
// and locks it against other processes: flock(2) on .retsim/lock, which
// works on local file systems and on NFS mounts with locking. The lock
// lasts until Close or the process ends. Open returns an error wrapping
// ErrLocked when another process holds it. It then removes what an
// interrupted run left behind: generations other than the current and the
// previous one, half-made links, and links to files the current generation
// lacks.
func Open(path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o777); err != nil {
		return nil, fmt.Errorf("output directory %s: %w", path, err)
	}
	f, err := lock(filepath.Join(path, metaDir))
	if err != nil {
		return nil, fmt.Errorf("output directory %s: %w", path, err)
	}
	d := &Dir{path: path, lock: f}
	d.clean(nil)
	return d, nil
}

// lock makes the directory meta if needed and takes an exclusive flock(2)
// on meta/lock without waiting, making sure that the file locked is still
// the one at meta/lock: a holder closing removes it (see Close).
func lock(meta string) (*os.File, error) {
	p := filepath.Join(meta, lockName)
	for {
		if err := os.Mkdir(meta, 0o777); err != nil && !errors.Is(err, os.ErrExist) {
			return nil, err
		}
		if st, err := os.Lstat(meta); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("%s: exists and is not retsim's directory of output generations", meta)
		}
		f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|unix.O_NOFOLLOW, 0o666)
		if errors.Is(err, os.ErrNotExist) {
			continue // meta removed by a holder closing: make it again
		}
		if err != nil {
			return nil, err
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, unix.EWOULDBLOCK) {
				err = ErrLocked
			}
			return nil, err
		}
		var held, now unix.Stat_t
		if unix.Fstat(int(f.Fd()), &held) == nil && unix.Lstat(p, &now) == nil && held.Dev == now.Dev && held.Ino == now.Ino {
			return f, nil
		}
		f.Close() // removed by the holder before: lock the new one
	}
}

// Close releases the lock (nothing, for a nil Dir). When the directory holds no generation (nothing
// was ever published, or a failed first run removed its own), it removes
// the lock and .retsim, so that a run refused or interrupted before
// publishing leaves the directory as it found it.
func (d *Dir) Close() error {
	if d == nil {
		return nil // never opened: a run refused before it created anything
	}
	meta := filepath.Join(d.path, metaDir)
	if entries, err := os.ReadDir(meta); err == nil && len(entries) == 1 && entries[0].Name() == lockName {
		os.Remove(filepath.Join(meta, lockName))
		os.Remove(meta)
	}
	return d.lock.Close()
}

// WriteAll publishes files into dir as one output set: Open, Publish and
// Close.
func WriteAll(dir string, files []File) ([]string, error) {
	d, err := Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.Publish(context.Background(), files)
}

// Publish makes files the directory's output set in one atomic step and
// returns their paths. The new set replaces the previous one whole: an
// output of an earlier set that files do not name (comparison.csv of an
// earlier compare, when a run publishes) is gone with the switch, its link
// removed, so that the directory never mixes the outputs of two runs;
// files retsim did not write are never touched. The new set is written whole (each file synced)
// into a new generation before the switch; if a file fails to write, or ctx
// is done before the switch, the new generation is removed and the
// directory keeps its previous set, and the error says so (wrapping ctx's
// error when interrupted). Once the switch is made Publish succeeds: what
// is left to do is cleaning up, which the next Open finishes if need be.
//
// Publish replaces nothing but a regular file or a link it made: a name
// taken by a directory, a symbolic link, a device or a named pipe is
// refused before anything is written. A regular file at a name of the set
// (as left by retsim versions before generations, or by the user) is first
// adopted into the current generation, content unchanged, then replaced by
// a link.
func (d *Dir) Publish(ctx context.Context, files []File) ([]string, error) {
	tops, err := d.check(files)
	if err != nil {
		return nil, err
	}
	meta, err := d.metaDir()
	if err != nil {
		return nil, err
	}
	gens := d.generations()
	n := 1
	if len(gens) > 0 {
		n = gens[len(gens)-1] + 1
	}
	gen := filepath.Join(meta, genName(n))
	if err := os.Mkdir(gen, 0o777); err != nil {
		return nil, fmt.Errorf("output directory %s: %w", d.path, err)
	}
	abort := func(err error) ([]string, error) {
		os.RemoveAll(gen)
		d.clean(nil)
		return nil, fmt.Errorf("%w (%s keeps its previous outputs)", err, d.path)
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return abort(fmt.Errorf("interrupted before the new outputs were in place: %w", err))
		}
		p := filepath.Join(gen, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			return abort(err)
		}
		if err := writeNew(p, f.Write); err != nil {
			return abort(fmt.Errorf("%s: %w", filepath.Join(d.path, f.Name), err))
		}
		afterStep("wrote " + f.Name)
	}
	for _, top := range tops {
		if top.state == adopt {
			if err := d.adopt(top.name); err != nil {
				return abort(err)
			}
		}
	}
	if err := syncTree(gen); err != nil {
		return abort(err)
	}
	for _, top := range tops {
		if top.state != absent {
			continue
		}
		if err := os.Symlink(linkTarget(top.name), filepath.Join(d.path, top.name)); err != nil {
			return abort(err)
		}
		afterStep("linked " + top.name)
	}
	if err := syncDir(d.path); err != nil {
		return abort(err)
	}
	if err := ctx.Err(); err != nil {
		return abort(fmt.Errorf("interrupted before the new outputs were in place: %w", err))
	}
	if err := replaceLink(meta, filepath.Join(meta, currentLink), genName(n)); err != nil {
		return abort(err)
	}
	afterStep("switched")
	d.clean(files)
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = filepath.Join(d.path, filepath.FromSlash(f.Name))
	}
	return paths, nil
}

// topState is what a top-level name of a new set finds in the directory.
type topState int

const (
	absent topState = iota // nothing: a link is made
	linked                 // retsim's link
	adopt                  // a regular file, adopted then replaced by a link
)

type top struct {
	name  string
	state topState
}

// check validates the names of files (see validName), each once, and finds
// what each top-level name finds in the directory, refusing any that is
// not a regular file or retsim's link.
func (d *Dir) check(files []File) ([]top, error) {
	seen := map[string]bool{}
	kinds := map[string]bool{} // top-level name: is a directory in the set
	var tops []top
	for _, f := range files {
		if err := validName(f.Name); err != nil {
			return nil, fmt.Errorf("output %q: %w", f.Name, err)
		}
		key := strings.ToLower(f.Name) // distinct on case-insensitive file systems too
		if seen[key] {
			return nil, fmt.Errorf("output %q: named twice", f.Name)
		}
		seen[key] = true
		name, _, isDir := strings.Cut(f.Name, "/")
		if was, ok := kinds[name]; ok {
			if was != isDir {
				return nil, fmt.Errorf("output %q: %s is both a file and a directory", f.Name, name)
			}
			continue
		}
		kinds[name] = isDir
		p := filepath.Join(d.path, name)
		st, err := os.Lstat(p)
		switch {
		case errors.Is(err, os.ErrNotExist):
			tops = append(tops, top{name, absent})
		case err != nil:
			return nil, err
		case d.isLink(name, st):
			tops = append(tops, top{name, linked})
		case st.Mode().IsRegular() && !isDir:
			tops = append(tops, top{name, adopt})
		default:
			return nil, fmt.Errorf("%s: exists and is not a file retsim wrote (%s); move it or choose another --out", p, kind(st.Mode()))
		}
	}
	return tops, nil
}

// validName accepts slash-separated names whose parts are made of ASCII
// letters, digits, '.', '_' and '-', do not start with '.', and are at most
// 255 bytes; the first part is not the generations' directory.
func validName(name string) error {
	parts := strings.Split(name, "/")
	for _, p := range parts {
		if !safePart.MatchString(p) || len(p) > 255 {
			return errors.New("not a safe file name (letters, digits, '.', '_', '-', not starting with '.')")
		}
	}
	return nil
}

var safePart = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]*$`)

// kind names a non-regular file's type.
func kind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeSymlink != 0:
		return "a symbolic link"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "not a regular file"
}

// linkTarget is the content of the link OUT/name.
func linkTarget(name string) string { return metaDir + "/" + currentLink + "/" + name }

// isLink reports whether the entry name, of type st, is retsim's link.
func (d *Dir) isLink(name string, st os.FileInfo) bool {
	if st.Mode()&os.ModeSymlink == 0 {
		return false
	}
	t, err := os.Readlink(filepath.Join(d.path, name))
	return err == nil && t == linkTarget(name)
}

// metaDir makes the generations' directory if needed and makes sure it is
// a directory, not a link to elsewhere.
func (d *Dir) metaDir() (string, error) {
	meta := filepath.Join(d.path, metaDir)
	if err := os.Mkdir(meta, 0o777); err != nil && !errors.Is(err, os.ErrExist) {
		return "", fmt.Errorf("output directory %s: %w", d.path, err)
	}
	if st, err := os.Lstat(meta); err != nil || !st.IsDir() {
		return "", fmt.Errorf("%s: exists and is not retsim's directory of output generations", meta)
	}
	return meta, nil
}

func genName(n int) string { return genPrefix + strconv.Itoa(n) }

// current is the number of the generation current names, -1 if none.
func (d *Dir) current() int {
	t, err := os.Readlink(filepath.Join(d.path, metaDir, currentLink))
	if err != nil {
		return -1
	}
	n, ok := genNumber(t)
	if !ok {
		return -1
	}
	return n
}

func genNumber(name string) (int, bool) {
	s, ok := strings.CutPrefix(name, genPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0 && strconv.Itoa(n) == s
}

// generations are the numbers of the generation directories, ascending.
func (d *Dir) generations() []int {
	entries, _ := os.ReadDir(filepath.Join(d.path, metaDir))
	var gens []int
	for _, e := range entries {
		if n, ok := genNumber(e.Name()); ok && e.IsDir() {
			gens = append(gens, n)
		}
	}
	slices.Sort(gens)
	return gens
}

// adopt copies the regular file OUT/name into the current generation
// (making an empty one current if there is none), then replaces it by the
// link to it: readers see the same content throughout.
func (d *Dir) adopt(name string) error {
	meta := filepath.Join(d.path, metaDir)
	cur := d.current()
	if cur < 0 {
		cur = 0
		gen := filepath.Join(meta, genName(cur))
		if err := os.RemoveAll(gen); err != nil {
			return err
		}
		if err := os.Mkdir(gen, 0o777); err != nil {
			return err
		}
		if err := replaceLink(meta, filepath.Join(meta, currentLink), genName(cur)); err != nil {
			return err
		}
		afterStep("made " + genName(cur) + " current")
	}
	gen := filepath.Join(meta, genName(cur))
	tmp := filepath.Join(gen, "."+name+newSuffix) // not carried over if left behind
	os.Remove(tmp)
	if err := copyFile(filepath.Join(d.path, name), tmp); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(d.path, name), err)
	}
	if err := os.Rename(tmp, filepath.Join(gen, name)); err != nil {
		return err
	}
	if err := syncDir(gen); err != nil {
		return err
	}
	if err := replaceLink(meta, filepath.Join(d.path, name), linkTarget(name)); err != nil {
		return err
	}
	afterStep("adopted " + name)
	return nil
}

// replaceLink makes path a symbolic link to target in one rename, from a
// link made first in the generations' directory meta (where Open removes
// any left behind), and syncs path's directory.
func replaceLink(meta, path, target string) error {
	tmp := filepath.Join(meta, linkTemp)
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Symlink(target, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(path))
}

// clean removes, after an interrupted run or a switch: generations other
// than the current and the one before it (which readers that resolved the
// previous current may still be opening), a half-made current link, links
// to names the current generation lacks and, for the top-level names of
// published (nil at Open), temporary files left by retsim versions before
// generations (.NAME.DIGITS.tmp). Failures are left for the next run.
func (d *Dir) clean(published []File) {
	meta := filepath.Join(d.path, metaDir)
	if st, err := os.Lstat(meta); err != nil || !st.IsDir() {
		return
	}
	os.Remove(filepath.Join(meta, linkTemp))
	cur, prev := d.current(), -1
	for _, n := range d.generations() {
		if n < cur {
			prev = n
		}
	}
	for _, n := range d.generations() {
		if n != cur && n != prev {
			os.RemoveAll(filepath.Join(meta, genName(n)))
			afterStep("removed " + genName(n))
		}
	}
	entries, _ := os.ReadDir(d.path)
	for _, e := range entries {
		name := e.Name()
		if st, err := e.Info(); err != nil || !d.isLink(name, st) {
			continue
		}
		if _, err := os.Stat(filepath.Join(d.path, name)); errors.Is(err, os.ErrNotExist) {
			os.Remove(filepath.Join(d.path, name))
		}
	}
	for _, f := range published {
		name, _, _ := strings.Cut(f.Name, "/")
		old, _ := filepath.Glob(filepath.Join(d.path, "."+name+".*.tmp"))
		for _, p := range old {
			mid := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), "."+name+"."), ".tmp")
			if st, err := os.Lstat(p); err == nil && st.Mode().IsRegular() && isDigits(mid) {
				os.Remove(p)
			}
		}
	}
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// writeNew creates the file p, which must not exist, with mode 0666 less
// the umask, writes it with write and syncs it to disk.
func writeNew(p string, write func(io.Writer) error) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// copyFile copies the regular file src to the new file dst (mode 0666 less
// the umask), synced.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return writeNew(dst, func(w io.Writer) error { _, err := io.Copy(w, in); return err })
}

// syncTree syncs every directory under root, root included.
func syncTree(root string) error {
	return filepath.WalkDir(root, func(p string, de os.DirEntry, err error) error {
		if err != nil || !de.IsDir() {
			return err
		}
		return syncDir(p)
	})
}

// syncDir syncs a directory, making the entries made in it durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
