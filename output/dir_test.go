package output

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// set is an output set: file name -> content.
type set map[string]string

func (s set) files() []File {
	var files []File
	for _, name := range slices.Sorted(maps.Keys(s)) {
		text := s[name]
		files = append(files, File{name, func(w io.Writer) error { _, err := io.WriteString(w, text); return err }})
	}
	return files
}

const absentFile = "<absent>"

// snapshot reads every name of the sets from dir as a reader would,
// through dir/NAME.
func snapshot(t *testing.T, dir string, sets ...set) set {
	t.Helper()
	got := set{}
	for _, s := range sets {
		for name := range s {
			b, err := os.ReadFile(filepath.Join(dir, name))
			switch {
			case errors.Is(err, os.ErrNotExist):
				got[name] = absentFile
			case err != nil:
				t.Fatal(err)
			default:
				got[name] = string(b)
			}
		}
	}
	return got
}

// view is what a reader of dir sees of s: s itself, and every other name
// of the sets absent.
func view(s set, sets ...set) set {
	v := set{}
	for _, o := range sets {
		for name := range o {
			v[name] = absentFile
		}
	}
	maps.Copy(v, s)
	return v
}

var (
	oldSet  = set{"a.csv": "old a", "b.csv": "old b", "s/c.txt": "old c"}
	newSet  = set{"a.csv": "new a", "b.csv": "new b", "s/c.txt": "new c", "d.csv": "new d"}
	nextSet = set{"a.csv": "next a", "b.csv": "next b", "s/c.txt": "next c", "d.csv": "next d"}
	legacy  = set{"a.csv": "legacy a", "b.csv": "legacy b"}
)

// initial states of an output directory before a run: what a reader sees.
var initial = []struct {
	name    string
	prepare func(t *testing.T, dir string)
	sees    set
}{
	{"empty", func(t *testing.T, dir string) {}, set{}},
	{"previous set", func(t *testing.T, dir string) {
		if _, err := WriteAll(dir, oldSet.files()); err != nil {
			t.Fatal(err)
		}
	}, oldSet},
	{"plain files of an earlier version", func(t *testing.T, dir string) {
		for name, text := range legacy {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}, legacy},
}

// checkNoLeftovers: after a successful run, dir holds the links to the
// set's top-level names, and .retsim only current, the current generation
// and at most the previous one.
func checkNoLeftovers(t *testing.T, dir string, s set) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if name == metaDir {
			continue
		}
		if _, ok := s[name]; !ok && !slices.ContainsFunc(slices.Collect(maps.Keys(s)), func(n string) bool { return strings.HasPrefix(n, name+"/") }) {
			t.Errorf("leftover %s in the output directory", name)
		}
	}
	meta, err := os.ReadDir(filepath.Join(dir, metaDir))
	if err != nil {
		t.Fatal(err)
	}
	gens := 0
	for _, e := range meta {
		switch _, isGen := genNumber(e.Name()); {
		case isGen:
			gens++
		case e.Name() != currentLink && e.Name() != lockName:
			t.Errorf("leftover %s in %s", e.Name(), metaDir)
		}
	}
	if gens > 2 {
		t.Errorf("%d generations kept, want the current and at most the previous one", gens)
	}
}

// A writer failing, or the run interrupted (ctx done), before the switch
// leaves what a reader sees unchanged and nothing of the new set behind;
// the next run publishes in full.
func TestPublishFailureKeepsTheOldSet(t *testing.T) {
	for _, in := range initial {
		for _, how := range []string{"write error", "interrupted"} {
			t.Run(in.name+"/"+how, func(t *testing.T) {
				dir := t.TempDir()
				in.prepare(t, dir)
				before, _ := os.ReadDir(dir)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				files := newSet.files()
				files[2].Write = func(w io.Writer) error {
					io.WriteString(w, "half")
					if how == "interrupted" {
						cancel()
						return nil
					}
					return errors.New("disk full")
				}
				d, err := Open(dir)
				if err != nil {
					t.Fatal(err)
				}
				_, err = d.Publish(ctx, files)
				d.Close()
				if err == nil {
					t.Fatal("no error")
				}
				if got := errors.Is(err, context.Canceled); got != (how == "interrupted") {
					t.Errorf("error %q: wraps context.Canceled %v", err, got)
				}
				if !strings.Contains(err.Error(), "keeps its previous outputs") {
					t.Errorf("error %q does not say the previous outputs are kept", err)
				}
				if got, want := snapshot(t, dir, oldSet, newSet, legacy), view(in.sees, oldSet, newSet, legacy); !maps.Equal(got, want) {
					t.Errorf("reader sees %v, want %v", got, want)
				}
				if after, _ := os.ReadDir(dir); len(after) != len(before) {
					t.Errorf("%d entries after the failure, %d before", len(after), len(before))
				}
				if _, err := WriteAll(dir, nextSet.files()); err != nil {
					t.Fatal(err)
				}
				if got, want := snapshot(t, dir, nextSet), view(nextSet); !maps.Equal(got, want) {
					t.Errorf("next run: reader sees %v, want %v", got, want)
				}
				checkNoLeftovers(t, dir, nextSet)
			})
		}
	}
}

// Interrupted once the switch is made, a run succeeds: the new set is in
// place, and the caller's exit status says so.
func TestPublishInterruptedAfterTheSwitchSucceeds(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	afterStep = func(step string) {
		if step == "switched" {
			cancel()
		}
	}
	defer func() { afterStep = func(string) {} }()
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Publish(ctx, newSet.files()); err != nil {
		t.Fatalf("interrupted after the switch: %v", err)
	}
	if ctx.Err() == nil {
		t.Fatal("the test hook did not run")
	}
	if got := snapshot(t, dir, newSet); !maps.Equal(got, newSet) {
		t.Errorf("reader sees %v, want %v", got, newSet)
	}
}

// A set replaces the previous one whole: outputs of an earlier set that a
// run does not write are gone, links and all; a file retsim did not write
// stays.
func TestPublishReplacesEarlierSets(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(mine, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	first := set{"comparison.csv": "cmp", "s/c.txt": "c", "a.csv": "first a"}
	second := set{"a.csv": "second a"}
	for _, s := range []set{first, second} {
		if _, err := WriteAll(dir, s.files()); err != nil {
			t.Fatal(err)
		}
	}
	if got := snapshot(t, dir, second); !maps.Equal(got, second) {
		t.Errorf("reader sees %v, want %v", got, second)
	}
	for _, gone := range []string{"comparison.csv", "s"} {
		if _, err := os.Lstat(filepath.Join(dir, gone)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s of the earlier set is still there (%v)", gone, err)
		}
	}
	if b, err := os.ReadFile(mine); err != nil || string(b) != "mine" {
		t.Errorf("a file retsim did not write: %q, %v; want it untouched", b, err)
	}
	os.Remove(mine)
	checkNoLeftovers(t, dir, second)
}

const (
	childDir  = "RETSIM_OUTPUT_CHILD_DIR"
	childStep = "RETSIM_OUTPUT_CHILD_KILL_AT"
)

// TestPublishChild is the child process of TestKillDuringPublish: it
// publishes newSet into $RETSIM_OUTPUT_CHILD_DIR and kills itself with
// SIGKILL after step number $RETSIM_OUTPUT_CHILD_KILL_AT.
func TestPublishChild(t *testing.T) {
	dir := os.Getenv(childDir)
	if dir == "" {
		t.Skip("child process of TestKillDuringPublish")
	}
	at, err := strconv.Atoi(os.Getenv(childStep))
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	afterStep = func(step string) {
		if steps++; steps == at {
			fmt.Fprintln(os.Stderr, "killed after", step)
			unix.Kill(os.Getpid(), unix.SIGKILL)
		}
	}
	if _, err := WriteAll(dir, newSet.files()); err != nil {
		t.Fatal(err)
	}
}

// A process killed with SIGKILL after any step of a run leaves a reader
// seeing the complete old set or the complete new one, never a mix; the
// next run cleans up what it left.
func TestKillDuringPublish(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process per step")
	}
	for _, in := range initial {
		t.Run(in.name, func(t *testing.T) {
			killed := 0
			for at := 1; ; at++ {
				dir := t.TempDir()
				in.prepare(t, dir)
				cmd := exec.Command(os.Args[0], "-test.run=^TestPublishChild$", "-test.count=1")
				cmd.Env = append(os.Environ(), childDir+"="+dir, childStep+"="+strconv.Itoa(at))
				out, err := cmd.CombinedOutput()
				if err == nil {
					break // the run finished before step at
				}
				if st, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || st.Signal() != syscall.SIGKILL {
					t.Fatalf("child: %v\n%s", err, out)
				}
				killed++
				step := strings.TrimSpace(string(out[strings.LastIndex(string(out), "killed after"):]))
				got := snapshot(t, dir, oldSet, newSet, legacy)
				old, next := view(in.sees, oldSet, newSet, legacy), view(newSet, oldSet, newSet, legacy)
				if !maps.Equal(got, old) && !maps.Equal(got, next) {
					t.Errorf("%s: reader sees %v: neither the old set %v nor the new one %v", step, got, old, next)
				}
				if _, err := WriteAll(dir, nextSet.files()); err != nil {
					t.Fatalf("%s: next run: %v", step, err)
				}
				if got := snapshot(t, dir, nextSet); !maps.Equal(got, nextSet) {
					t.Errorf("%s: next run: reader sees %v, want %v", step, got, nextSet)
				}
				checkNoLeftovers(t, dir, nextSet)
			}
			t.Logf("killed the run after each of its %d steps", killed)
			if killed < len(newSet)+2 {
				t.Errorf("killed after %d steps, want at least %d (each file, each link, the switch)", killed, len(newSet)+2)
			}
		})
	}
}

// A second Open of a directory another holder has locked fails with
// ErrLocked, and succeeds once the first is closed.
func TestOpenLocks(t *testing.T) {
	dir := t.TempDir()
	first, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d entries left by an Open and Close that published nothing", len(entries))
	}
	second, err := Open(dir)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	second.Close()
}

// Files are created with mode 0666 and directories 0777, both less the
// umask.
func TestModesFollowTheUmask(t *testing.T) {
	for _, mask := range []int{0o022, 0o027, 0o077, 0} {
		t.Run(fmt.Sprintf("%03o", mask), func(t *testing.T) {
			old := unix.Umask(mask)
			defer unix.Umask(old)
			dir := filepath.Join(t.TempDir(), "out")
			if _, err := WriteAll(dir, newSet.files()); err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{"", "a.csv", "s", "s/c.txt", metaDir} {
				st, err := os.Stat(filepath.Join(dir, p))
				if err != nil {
					t.Fatal(err)
				}
				want := os.FileMode(0o666 &^ mask)
				if st.IsDir() {
					want = os.FileMode(0o777 &^ mask)
				}
				if st.Mode().Perm() != want {
					t.Errorf("%s: mode %v, want %v", p, st.Mode().Perm(), want)
				}
			}
		})
	}
}

// A name taken by something retsim did not write, other than a regular
// file, and an unsafe name are refused before anything is written.
func TestPublishRefuses(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "outside.csv")
	for _, tc := range []struct {
		name    string
		prepare func(dir string) error
		files   []File
	}{
		{"directory", func(dir string) error { return os.Mkdir(filepath.Join(dir, "a.csv"), 0o777) }, newSet.files()},
		{"directory for a subdirectory", func(dir string) error { return os.Mkdir(filepath.Join(dir, "s"), 0o777) }, newSet.files()},
		{"symbolic link", func(dir string) error { return os.Symlink(outside, filepath.Join(dir, "a.csv")) }, newSet.files()},
		{"named pipe", func(dir string) error { return unix.Mkfifo(filepath.Join(dir, "a.csv"), 0o666) }, newSet.files()},
		{"parent directory", nil, set{"../a.csv": ""}.files()},
		{"absolute", nil, set{"/tmp/a.csv": ""}.files()},
		{"hidden", nil, set{".retsim/current": ""}.files()},
		{"dot dot inside", nil, set{"s/../../a.csv": ""}.files()},
		{"NUL", nil, set{"a\x00.csv": ""}.files()},
		{"empty", nil, set{"": ""}.files()},
		{"same name twice, in other case", nil, set{"a.csv": "", "A.csv": ""}.files()},
		{"file and directory", nil, set{"s": "", "s/c.txt": ""}.files()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(outside, []byte("outside"), 0o644); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if tc.prepare != nil {
				if err := tc.prepare(dir); err != nil {
					t.Fatal(err)
				}
			}
			before, _ := os.ReadDir(dir)
			if _, err := WriteAll(dir, tc.files); err == nil {
				t.Fatal("accepted")
			}
			if after, _ := os.ReadDir(dir); !slices.EqualFunc(before, after, func(a, b os.DirEntry) bool { return a.Name() == b.Name() && a.Type() == b.Type() }) {
				t.Errorf("directory changed: %v, was %v", after, before)
			}
			if b, _ := os.ReadFile(outside); string(b) != "outside" {
				t.Errorf("the file a link pointed to changed: %q", b)
			}
		})
	}
}

// Labels from data become names inside the output directory: safe,
// deterministic and distinct (also ignoring case).
func TestSafeName(t *testing.T) {
	labels := []string{"2021-01", "a", "A", "Q1", "q1", "", ".", "..", "../x", "/../../../../SOMEWHERE", "a/b", "a\\b",
		"a\x00b", ".hidden", "-rf", "=HYPERLINK(\"http://x\")", "caf\u00e9", strings.Repeat("x", 300), strings.Repeat("x", 301)}
	seen := map[string]string{}
	for _, l := range labels {
		n := SafeName(l)
		if err := validName(n); err != nil {
			t.Errorf("SafeName(%q) = %q: %v", l, n, err)
		}
		if n == "." || n == ".." || strings.ContainsAny(n, "/\\\x00") || len(n) > maxSafeName+9 {
			t.Errorf("SafeName(%q) = %q", l, n)
		}
		if other, ok := seen[strings.ToLower(n)]; ok {
			t.Errorf("SafeName(%q) = SafeName(%q) = %q, ignoring case", l, other, n)
		}
		seen[strings.ToLower(n)] = l
		if again := SafeName(l); again != n {
			t.Errorf("SafeName(%q) = %q, then %q", l, n, again)
		}
	}
	for _, keep := range []string{"2021-01", "a", "cohort_2"} {
		if n := SafeName(keep); n != keep {
			t.Errorf("SafeName(%q) = %q, want it kept", keep, n)
		}
	}
}

// Temporary files that retsim versions before generations left for a name
// (.NAME.DIGITS.tmp) go when that name is next published; other files stay.
func TestPublishRemovesEarlierTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	ours, others := []string{".a.csv.3474647580.tmp", ".b.csv.1.tmp"}, []string{".a.csv.mine.tmp", ".other.csv.12.tmp", "a.csv.3474647580.tmp", "notes.txt"}
	for _, name := range append(slices.Clone(ours), others...) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := WriteAll(dir, newSet.files()); err != nil {
		t.Fatal(err)
	}
	for _, name := range ours {
		if _, err := os.Lstat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left: %v", name, err)
		}
	}
	for _, name := range others {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != "x" {
			t.Errorf("%s touched: %q, %v", name, b, err)
		}
	}
}

const lockChildDir = "RETSIM_OUTPUT_LOCK_CHILD_DIR"

// TestLockChild is the child process of TestOpenLocksAgainstAnotherProcess:
// it opens $RETSIM_OUTPUT_LOCK_CHILD_DIR, says so on stdout and holds the
// lock until its stdin closes.
func TestLockChild(t *testing.T) {
	dir := os.Getenv(lockChildDir)
	if dir == "" {
		t.Skip("child process of TestOpenLocksAgainstAnotherProcess")
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin)
}

// While another process holds the directory, Open fails with ErrLocked;
// once that process ends, Open succeeds.
func TestOpenLocksAgainstAnotherProcess(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), lockChildDir+"="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, len("locked"))
	if _, err := io.ReadFull(stdout, buf); err != nil || string(buf) != "locked" {
		t.Fatalf("child: %q, %v", buf, err)
	}
	if _, err := Open(dir); !errors.Is(err, ErrLocked) {
		t.Errorf("Open while another process holds the lock: %v, want ErrLocked", err)
	}
	stdin.Close()
	io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatalf("Open after the other process ended: %v", err)
	}
	d.Close()
}
