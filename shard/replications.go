package shard

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/sim"
)

// record is what a part of kind KindReplications stores of one index:
// replication Index of every configuration of the lockstep, in order.
// Equity is Reps[k].Equity, kept apart because gob leaves out a struct
// field equal to zero and would so turn -0 into +0; in a slice every
// value is kept, bit for bit.
type record struct {
	Index  int
	Reps   []sim.Replication
	Equity []float64
}

// encode writes replication i of each configuration, reps, with enc,
// using r's storage.
func (r *record) encode(enc *gob.Encoder, i int, reps []*sim.Replication) error {
	r.Index = i
	for k, rep := range reps {
		r.Reps[k], r.Equity[k] = *rep, rep.Equity
	}
	return enc.Encode(r)
}

// ReplicationsPart describes the part of shard spec that holds the lockstep
// scs, which share a replication count, in the data file named file.
func ReplicationsPart(file string, scs []sim.Scenario, spec Spec) Part {
	total := scs[0].Config.Replications
	first, end := spec.Range(total)
	return Part{Kind: KindReplications, File: file, Configs: hashes(scs), Total: total, First: first, End: end}
}

// hashes are sim.Config.Hash of each scenario's configuration.
func hashes(scs []sim.Scenario) []string {
	out := make([]string, len(scs))
	for i := range scs {
		out[i] = scs[i].Config.Hash()
	}
	return out
}

// ReplicationsFile is the data file of part p (see ReplicationsPart): when
// the output set is published, it simulates replications p.First to
// p.End-1 of the lockstep scs (sim.StreamRange with ctx and opt), writes
// each as it is visited, and sets p.SHA256.
func ReplicationsFile(ctx context.Context, p *Part, scs []sim.Scenario, opt sim.Options) output.File {
	return DataFile(p, func(w io.Writer) error {
		enc := gob.NewEncoder(w)
		rec := record{Reps: make([]sim.Replication, len(scs)), Equity: make([]float64, len(scs))}
		return sim.StreamRange(ctx, scs, p.First, p.End, opt, func(i int, reps []*sim.Replication) error {
			return rec.encode(enc, i, reps)
		})
	})
}

// DataFile is the data file of part p, its records written by write when
// the output set is published (buffered); it sets p.SHA256 to the
// checksum of what write wrote.
func DataFile(p *Part, write func(w io.Writer) error) output.File {
	return output.File{Name: p.File, Write: func(w io.Writer) error {
		h := sha256.New()
		bw := bufio.NewWriter(io.MultiWriter(w, h))
		err := write(bw)
		if err == nil {
			err = bw.Flush()
		}
		p.SHA256 = hex.EncodeToString(h.Sum(nil))
		return err
	}}
}

// Stream delivers the replications of the lockstep scs from the shards,
// as sim.Stream would simulate them: visit(i, reps) for i = 0, 1, ... in
// order, replication i of every scenario in order; opt.Progress, if set,
// after each visit. The part it reads is the one whose configurations are
// those of scs; every data file is checked against its checksum and its
// range, and a mismatch is an error before Stream returns.
func (s *Set) Stream(ctx context.Context, scs []sim.Scenario, opt sim.Options, visit func(i int, reps []*sim.Replication) error) error {
	if len(scs) == 0 {
		return errors.New("no scenario to read")
	}
	return s.StreamRange(ctx, scs, 0, scs[0].Config.Replications, opt, visit)
}

// StreamRange is Stream restricted to replications lo to hi-1, as
// sim.StreamRange would simulate them; every data file is still read and
// checked whole. It is a compare.Source.
func (s *Set) StreamRange(ctx context.Context, scs []sim.Scenario, lo, hi int, opt sim.Options, visit func(i int, reps []*sim.Replication) error) error {
	if len(scs) == 0 {
		return errors.New("no scenario to read")
	}
	want := hashes(scs)
	k := slices.IndexFunc(s.Manifest.Parts, func(p Part) bool {
		return p.Total == scs[0].Config.Replications && slices.Equal(p.Configs, want)
	})
	if k < 0 {
		return fmt.Errorf("the shards hold no replications of these %d configurations (%s first); they were made by another command", len(scs), scs[0].Name)
	}
	if total := s.Manifest.Parts[k].Total; lo < 0 || hi < lo || hi > total {
		return fmt.Errorf("replications %d to %d: the shards hold 0 to %d", lo, hi, total)
	}
	done := 0
	for i, m := range s.shards {
		p := m.Parts[k]
		err := readPart(ctx, filepath.Join(s.dirs[i], p.File), p, len(scs), func(idx int, reps []*sim.Replication) error {
			if idx < lo || idx >= hi {
				return nil
			}
			if err := visit(idx, reps); err != nil {
				return err
			}
			done++
			if opt.Progress != nil {
				opt.Progress(done, hi-lo)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// readPart reads the records of part p from path, which must hold width
// replications each, for indices p.First to p.End-1 and nothing more, with
// the checksum p.SHA256, and calls visit with each.
func readPart(ctx context.Context, path string, p Part, width int, visit func(int, []*sim.Replication) error) error {
	return readFile(path, p, func(r io.Reader) error {
		dec := gob.NewDecoder(r)
		reps := make([]*sim.Replication, width)
		for i := p.First; i < p.End; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			var rec record
			if err := dec.Decode(&rec); err != nil {
				return fmt.Errorf("%s: replication %d: %w", path, i, err)
			}
			if rec.Index != i || len(rec.Reps) != width || len(rec.Equity) != width {
				return fmt.Errorf("%s: record of replication %d with %d configurations, want replication %d with %d", path, rec.Index, len(rec.Reps), i, width)
			}
			for k := range rec.Reps {
				rec.Reps[k].Equity = rec.Equity[k]
				reps[k] = &rec.Reps[k]
			}
			if err := visit(i, reps); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReadParts reads the part of the given kind (the first the manifest
// lists) of every shard, in shard order: read(r, p) with the shard's part
// p and its data file, from which read takes p's records, First to End-1.
// Once read returns, the rest of the file must be empty and the file's
// checksum p.SHA256; a mismatch is an error naming the file.
func (s *Set) ReadParts(kind string, read func(r io.Reader, p Part) error) error {
	k := slices.IndexFunc(s.Manifest.Parts, func(p Part) bool { return p.Kind == kind })
	if k < 0 {
		return fmt.Errorf("the shards hold no part of kind %q; they were made by another command", kind)
	}
	for i, m := range s.shards {
		p := m.Parts[k]
		path := filepath.Join(s.dirs[i], p.File)
		err := readFile(path, p, func(r io.Reader) error {
			if err := read(r, p); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// readFile opens the data file of part p at path and reads it with read,
// then checks that nothing is left and that its checksum is p.SHA256.
func readFile(path string, p Part, read func(r io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("shard data: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	r := &countingReader{r: bufio.NewReader(io.TeeReader(f, h))}
	if err := read(r); err != nil {
		return err
	}
	return checkEnd(path, r, h, p.SHA256)
}

// checkEnd reads what is left of a part's data (there should be nothing)
// into h and compares the checksum with want.
func checkEnd(path string, r *countingReader, h hash.Hash, want string) error {
	before := r.n
	if _, err := io.Copy(io.Discard, r); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if r.n != before {
		return fmt.Errorf("%s: %d bytes after the last replication", path, r.n-before)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("%s: checksum %s, the manifest says %s: the file changed after it was written", path, got[:12], want[:min(12, len(want))])
	}
	return nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r *bufio.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// ReadByte lets gob read from c without buffering it again.
func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}
