// Package shard splits a run into N shards, simulated by separate processes
// (the tasks of a Slurm job array, the pods of a Kubernetes Indexed Job),
// and reads them back in replication order, so that a merge aggregates
// exactly the replications one process would have, in the same order, and
// writes the same bytes.
//
// A shard is a directory holding its manifest, shard.json (see Manifest),
// and one data file per part. A part is one lockstep stream of the run
// (sim.StreamRange over the shard's range of indices); its kind says what
// a record holds. KindReplications stores for each replication index the
// sim.Replication of every configuration of the lockstep, gob-encoded.
// KindPoints holds the results of a contiguous block of an experiment's
// design points, written and read by the command (DataFile, Set.ReadParts).
// Another kind adds a constant, a writer and a reader of its records; the
// manifest, the split (Range), the checks of Open and the integrity check
// of every file are shared.
package shard

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/retsim/retsim/output"
)

// Format is the version of the shard layout (manifest and data files)
// this package writes and reads; a shard of another format is refused.
const Format = 1

// ManifestName is the name of a shard's manifest in its directory.
const ManifestName = "shard.json"

// KindReplications is a part whose record i holds replication i of every
// configuration of its lockstep, in order.
const KindReplications = "replications"

// KindPoints is a part whose records are the results of design points
// First to End-1 of an experiment of Total points, each with all its
// replications, in the format the command chooses (retsim experiment:
// experiment.WritePointResults). Its Configs are one digest of the
// experiment's plan (experiment.Plan.Digest).
const KindPoints = "points"

// kinds are the kinds of part this package reads.
var kinds = []string{KindReplications, KindPoints}

// Manifest is shard.json: what a shard holds and everything a merge checks
// before it reads the data.
type Manifest struct {
	Format int `json:"format"` // Format when written
	// Engine is the engine version and the build that wrote the shard
	// (retsim VERSION (built with GO, OS/ARCH)); a merge refuses shards of
	// another build than its own.
	Engine string `json:"engine"`
	// Command is the single-process command the shards split, its words
	// after the program's name, without the shard's own flags and
	// without --out: merge runs it, reading the shards instead of
	// simulating.
	Command []string `json:"command"`
	Seed    uint64   `json:"seed"`
	// Digest is the SHA-256 (hex) of the configurations: Seed, Setup (see
	// Seal) and each part's kind, configurations and total; equal in every
	// shard of one run.
	Digest string `json:"digest"`
	// Shard and Shards: this is shard Shard of Shards, counted from 0.
	Shard  int `json:"shard"`
	Shards int `json:"shards"`
	// Setup is what the command needs besides the data, for example the
	// scenarios as resolved when the shard ran, encoded by the command
	// (JSON carries it in base64).
	Setup []byte `json:"setup"`
	Parts []Part `json:"parts"`
}

// Part is one lockstep stream of the run, as far as the shard holds it:
// indices First to End-1 of Total.
type Part struct {
	Kind string `json:"kind"` // KindReplications or KindPoints
	File string `json:"file"` // the data file, in the shard's directory
	// Configs are the SHA-256 of each configuration of the lockstep
	// (sim.Config.Hash), in order.
	Configs []string `json:"configs"`
	Total   int      `json:"total"`
	First   int      `json:"first"`
	End     int      `json:"end"`
	SHA256  string   `json:"sha256"` // of File, checked as it is read
}

// Spec is shard Index of Count, counted from 0.
type Spec struct{ Index, Count int }

func (s Spec) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Range is the indices shard s holds of total: first to end-1. Shards hold
// contiguous blocks, in order, of sizes differing by at most one; a shard
// holds none when Count exceeds total.
func (s Spec) Range(total int) (first, end int) {
	return s.Index * total / s.Count, (s.Index + 1) * total / s.Count
}

// ParseSpec reads "I/N" (0 <= I < N) or "auto". auto takes the index and
// count from the batch system's environment, read with getenv: Slurm's
// job arrays (SLURM_ARRAY_TASK_ID less SLURM_ARRAY_TASK_MIN, and
// SLURM_ARRAY_TASK_COUNT), else Kubernetes' Indexed Jobs
// (JOB_COMPLETION_INDEX), whose count is count when above 0, else the
// variable RETSIM_SHARDS.
func ParseSpec(text string, count int, getenv func(string) string) (Spec, error) {
	if text == "auto" {
		return autoSpec(count, getenv)
	}
	i, n, ok := strings.Cut(text, "/")
	if !ok {
		return Spec{}, fmt.Errorf("want I/N (shard I of N, I from 0 to N-1) or auto, got %q", text)
	}
	return newSpec(i, n, "I/N")
}

func autoSpec(count int, getenv func(string) string) (Spec, error) {
	if id := getenv("SLURM_ARRAY_TASK_ID"); id != "" {
		low := getenv("SLURM_ARRAY_TASK_MIN")
		if low == "" {
			low = "0"
		}
		first, err := strconv.Atoi(low)
		index, err2 := strconv.Atoi(id)
		if err != nil || err2 != nil {
			return Spec{}, fmt.Errorf("auto: SLURM_ARRAY_TASK_ID %q and SLURM_ARRAY_TASK_MIN %q must be whole numbers", id, low)
		}
		return newSpec(strconv.Itoa(index-first), getenv("SLURM_ARRAY_TASK_COUNT"), "SLURM_ARRAY_TASK_ID less SLURM_ARRAY_TASK_MIN / SLURM_ARRAY_TASK_COUNT (submit with --array=0-N-1)")
	}
	if id := getenv("JOB_COMPLETION_INDEX"); id != "" {
		n := getenv("RETSIM_SHARDS")
		if count > 0 {
			n = strconv.Itoa(count)
		}
		if n == "" {
			return Spec{}, errors.New("auto: JOB_COMPLETION_INDEX is set but not the count: give --shards N or RETSIM_SHARDS, the Job's completions")
		}
		return newSpec(id, n, "JOB_COMPLETION_INDEX / --shards or RETSIM_SHARDS")
	}
	return Spec{}, errors.New("auto: neither SLURM_ARRAY_TASK_ID (a Slurm job array) nor JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set")
}

func newSpec(index, count, what string) (Spec, error) {
	i, err := strconv.Atoi(strings.TrimSpace(index))
	n, err2 := strconv.Atoi(strings.TrimSpace(count))
	if err != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Spec{}, fmt.Errorf("%s: want whole numbers with 0 <= I < N, got %s/%s", what, index, count)
	}
	return Spec{Index: i, Count: n}, nil
}

// Seal sets m.Digest from m's seed and parts and from canon, a canonical
// encoding of the setup (equal for equal setups, which Setup's encoding
// need not be); the writer calls it once the parts are known, before any
// data is written.
func (m *Manifest) Seal(canon []byte) {
	h := sha256.New()
	fmt.Fprintf(h, "%d\n%s\n", m.Seed, canon)
	for _, p := range m.Parts {
		fmt.Fprintf(h, "%s %d %s\n", p.Kind, p.Total, strings.Join(p.Configs, ","))
	}
	m.Digest = hex.EncodeToString(h.Sum(nil))
}

// ManifestFile is shard.json for m, written when the output set is
// published: after the data files, whose checksums it records.
func ManifestFile(m *Manifest) output.File {
	return output.File{Name: ManifestName, Write: func(w io.Writer) error {
		b, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return fmt.Errorf("%s: %w", ManifestName, err)
		}
		_, err = w.Write(append(b, '\n'))
		return err
	}}
}

// Set is the shards of one run, checked by Open, in shard order.
type Set struct {
	// Manifest is the first shard's, with the fields every shard shares.
	Manifest Manifest
	dirs     []string
	shards   []Manifest
}

// Open reads the manifests of the shard directories dirs and checks that
// they are every shard of one run, once each, made by the build engine.
// Its errors are one line: the directory and what is wrong, the shards
// missing or given twice, or the first difference between two shards
// (version, seed, configuration, command, count).
func Open(dirs []string, engine string) (*Set, error) {
	if len(dirs) == 0 {
		return nil, errors.New("no shard directory given")
	}
	ms := make([]Manifest, len(dirs))
	for i, d := range dirs {
		m, err := readManifest(d)
		if err != nil {
			return nil, err
		}
		ms[i] = m
	}
	for i := 1; i < len(ms); i++ {
		if err := same(dirs[0], &ms[0], dirs[i], &ms[i]); err != nil {
			return nil, err
		}
	}
	if ms[0].Engine != engine {
		return nil, fmt.Errorf("%s: made by %s, this is %s: merge with the build that made the shards", dirs[0], ms[0].Engine, engine)
	}
	n := ms[0].Shards
	byIndex := make([]int, n)
	for i := range byIndex {
		byIndex[i] = -1
	}
	for i, m := range ms {
		if j := byIndex[m.Shard]; j >= 0 {
			return nil, fmt.Errorf("shard %d/%d given twice: %s and %s", m.Shard, n, dirs[j], dirs[i])
		}
		byIndex[m.Shard] = i
	}
	var missing []string
	for k, i := range byIndex {
		if i < 0 {
			missing = append(missing, fmt.Sprintf("%d/%d", k, n))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing %d of %d shards: %s", len(missing), n, strings.Join(missing, ", "))
	}
	s := &Set{}
	for _, i := range byIndex {
		s.dirs = append(s.dirs, dirs[i])
		s.shards = append(s.shards, ms[i])
	}
	s.Manifest = s.shards[0]
	return s, s.tiled()
}

// readManifest reads and checks the shape of dir's shard.json.
func readManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, os.ErrNotExist) {
		return m, fmt.Errorf("%s: not a shard (no %s); give the --out of each 'retsim ... --shard I/N'", dir, ManifestName)
	}
	if err != nil {
		return m, fmt.Errorf("shard %s: %w", dir, err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestName), err)
	}
	switch {
	case m.Format != Format:
		return m, fmt.Errorf("%s: shard format %d, this retsim reads format %d: merge with the build that made the shards", dir, m.Format, Format)
	case m.Shards < 1 || m.Shard < 0 || m.Shard >= m.Shards:
		return m, fmt.Errorf("%s: shard %d/%d: want 0 <= I < N", filepath.Join(dir, ManifestName), m.Shard, m.Shards)
	case len(m.Command) == 0 || len(m.Parts) == 0:
		return m, fmt.Errorf("%s: no command or no parts", filepath.Join(dir, ManifestName))
	}
	for _, p := range m.Parts {
		if !slices.Contains(kinds, p.Kind) {
			return m, fmt.Errorf("%s: part %s of kind %q; this retsim reads %s", filepath.Join(dir, ManifestName), p.File, p.Kind, strings.Join(kinds, " and "))
		}
		if filepath.Base(p.File) != p.File || p.File == ManifestName {
			return m, fmt.Errorf("%s: part file %q must be a plain name in the shard's directory", filepath.Join(dir, ManifestName), p.File)
		}
	}
	return m, nil
}

// same reports the first way in which shard b (in directory db) is not of
// the same run as a: version, seed, configuration, command, count.
func same(da string, a *Manifest, db string, b *Manifest) error {
	differ := func(what, va, vb string) error {
		return fmt.Errorf("shards of different %s: %s has %s, %s has %s", what, da, va, db, vb)
	}
	switch {
	case a.Engine != b.Engine:
		return differ("versions", a.Engine, b.Engine)
	case a.Seed != b.Seed:
		return differ("seeds", strconv.FormatUint(a.Seed, 10), strconv.FormatUint(b.Seed, 10))
	case a.Digest != b.Digest:
		return differ("configurations", "digest "+a.Digest[:min(12, len(a.Digest))], "digest "+b.Digest[:min(12, len(b.Digest))])
	case !slices.Equal(a.Command, b.Command):
		return differ("commands", strconv.Quote(strings.Join(a.Command, " ")), strconv.Quote(strings.Join(b.Command, " ")))
	case a.Shards != b.Shards:
		return differ("splits", fmt.Sprintf("shard %d/%d", a.Shard, a.Shards), fmt.Sprintf("shard %d/%d", b.Shard, b.Shards))
	}
	return nil
}

// tiled checks that the shards' ranges of each part follow one another
// from 0 to the part's total.
func (s *Set) tiled() error {
	for k, p := range s.Manifest.Parts {
		next := 0
		for i, m := range s.shards {
			if len(m.Parts) != len(s.Manifest.Parts) {
				return fmt.Errorf("%s: %d parts, %s has %d", s.dirs[i], len(m.Parts), s.dirs[0], len(s.Manifest.Parts))
			}
			q := m.Parts[k]
			if q.First != next || q.End < q.First || q.Total != p.Total {
				return fmt.Errorf("%s: part %s holds %d to %d of %d, want from %d", s.dirs[i], q.File, q.First, q.End, q.Total, next)
			}
			next = q.End
		}
		if next != p.Total {
			return fmt.Errorf("part %s: the shards hold %d of %d", p.File, next, p.Total)
		}
	}
	return nil
}
