package output

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/retsim/retsim/sim"
)

// IndexName is the name of the index of an output set.
const IndexName = "files.json"

// Index is files.json: which command produced an output set, with which
// engine, and the names of the files it wrote, in the order written: the
// directory's retsim outputs, since a set replaces the previous one whole
// (see Dir.Publish).
type Index struct {
	Engine  string   `json:"engine"`
	Command string   `json:"command"`
	Files   []string `json:"files"`
}

// IndexFile is files.json for an output set of files written by command,
// a command line such as "retsim compare taking giving --out=out"; it lists
// itself too.
func IndexFile(command string, files []File) File {
	ix := Index{Engine: "retsim " + sim.Version, Command: command, Files: make([]string, 0, len(files)+1)}
	for _, f := range files {
		ix.Files = append(ix.Files, f.Name)
	}
	ix.Files = append(ix.Files, IndexName)
	return File{Name: IndexName, Write: func(w io.Writer) error {
		b, err := json.MarshalIndent(ix, "", "  ")
		if err != nil {
			return fmt.Errorf("%s: %w", IndexName, err)
		}
		_, err = w.Write(append(b, '\n'))
		return err
	}}
}
