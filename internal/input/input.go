// Package input reads the files retsim is given (scenario files, the files
// they extend, data files to fit) safely: only regular files, never more
// than a limit, and never past a cancelled context, so that a named pipe, a
// device or a huge file can neither hang nor exhaust a run.
package input

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is returned for a path that names a directory, a named pipe
// (FIFO), a device or a socket rather than a regular file.
var ErrNotRegular = errors.New("not a regular file")

// TooLargeError is a file larger than the limit it was read with.
type TooLargeError struct {
	Limit int64 // bytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("larger than the %s a file may have", size(e.Limit))
}

// size writes n bytes in the largest binary unit that divides it.
func size(n int64) string {
	for _, u := range []struct {
		name  string
		bytes int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.bytes && n%u.bytes == 0 {
			return fmt.Sprintf("%d %s", n/u.bytes, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// chunk is how much is read between checks of the context.
const chunk = 64 << 10

// ReadFile reads the regular file at path, at most limit bytes of it. A
// path that is not a regular file is refused with ErrNotRegular before it is
// opened (opening a named pipe blocks until something writes to it), and
// again after (in case the path changed in between); a larger file with a
// *TooLargeError, without reading the rest; a cancelled ctx stops the read
// with ctx.Err(). Errors are those of the os package otherwise, so that
// errors.Is(err, fs.ErrNotExist) holds for a missing file.
func ReadFile(ctx context.Context, path string, limit int64) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := regular(os.Stat(path)); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := regular(f.Stat()); err != nil {
		return nil, err
	}
	var data []byte
	buf := make([]byte, chunk)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := f.Read(buf)
		data = append(data, buf[:n]...)
		if int64(len(data)) > limit {
			return nil, &TooLargeError{Limit: limit}
		}
		if errors.Is(err, io.EOF) {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// notRegular is what a path is instead of a regular file, e.g. "a
// directory"; it matches ErrNotRegular.
type notRegular string

func (e notRegular) Error() string        { return "is " + string(e) + ", not a regular file" }
func (e notRegular) Is(target error) bool { return target == ErrNotRegular }

// regular is an error matching ErrNotRegular that says what the file is
// unless info describes a regular file; err is returned as it is.
func regular(info fs.FileInfo, err error) error {
	if err != nil {
		return err
	}
	switch mode := info.Mode(); {
	case mode.IsRegular():
		return nil
	case mode.IsDir():
		return notRegular("a directory")
	case mode&fs.ModeNamedPipe != 0:
		return notRegular("a named pipe (FIFO)")
	case mode&fs.ModeDevice != 0:
		return notRegular("a device")
	case mode&fs.ModeSocket != 0:
		return notRegular("a socket")
	}
	return notRegular("a special file")
}
