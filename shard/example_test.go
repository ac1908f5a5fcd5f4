package shard_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/retsim/retsim/output"
	"github.com/retsim/retsim/shard"
	"github.com/retsim/retsim/sim"
)

// A run of 10 replications in 4 shards: each shard simulates a contiguous
// block, and the blocks follow one another.
func ExampleSpec_Range() {
	for i := range 4 {
		first, end := shard.Spec{Index: i, Count: 4}.Range(10)
		fmt.Printf("shard %d/4: replications %d to %d\n", i, first, end-1)
	}
	// Output:
	// shard 0/4: replications 0 to 1
	// shard 1/4: replications 2 to 4
	// shard 2/4: replications 5 to 6
	// shard 3/4: replications 7 to 9
}

// In a Kubernetes Indexed Job, the pod's index is JOB_COMPLETION_INDEX and
// the count is given (--shards, or RETSIM_SHARDS).
func ExampleParseSpec() {
	env := map[string]string{"JOB_COMPLETION_INDEX": "2", "RETSIM_SHARDS": "4"}
	spec, err := shard.ParseSpec("auto", 0, func(k string) string { return env[k] })
	fmt.Println(spec, err)
	// Output:
	// 2/4 <nil>
}

// Two shards of a small run written into two directories, then opened
// and read back in replication order, as retsim merge does.
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "shards")
	defer os.RemoveAll(dir)
	cfg := sim.Default()
	cfg.Population.Initial, cfg.Horizon.Periods, cfg.Replications = 100, 6, 5
	scs := []sim.Scenario{{Name: "tiny", Config: cfg}}
	var dirs []string
	for i := range 2 {
		spec := shard.Spec{Index: i, Count: 2}
		m := &shard.Manifest{Format: shard.Format, Engine: "example", Command: []string{"run", "tiny"}, Seed: cfg.Seed, Shard: i, Shards: 2}
		m.Parts = []shard.Part{shard.ReplicationsPart("part-0.gob", scs, spec)}
		m.Seal([]byte("tiny"))
		d := filepath.Join(dir, fmt.Sprint(i))
		out, err := output.Open(d)
		if err != nil {
			fmt.Println(err)
			return
		}
		_, err = out.Publish(context.Background(), []output.File{shard.ReplicationsFile(context.Background(), &m.Parts[0], scs, sim.Options{}), shard.ManifestFile(m)})
		out.Close()
		if err != nil {
			fmt.Println(err)
			return
		}
		dirs = append(dirs, d)
	}
	set, err := shard.Open([]string{dirs[1], dirs[0]}, "example")
	if err != nil {
		fmt.Println(err)
		return
	}
	err = set.Stream(context.Background(), scs, sim.Options{}, func(i int, _ []*sim.Replication) error {
		fmt.Print(i, " ")
		return nil
	})
	fmt.Println(err)
	// Output:
	// 0 1 2 3 4 <nil>
}

// A part whose records the command writes itself (here, lines of text
// for items 0 to 4 of 5, as retsim experiment writes design points):
// DataFile writes it and records its checksum, ReadParts reads it back
// from every shard in order and checks it.
func ExampleSet_ReadParts() {
	dir, _ := os.MkdirTemp("", "shards")
	defer os.RemoveAll(dir)
	var dirs []string
	for i := range 2 {
		spec := shard.Spec{Index: i, Count: 2}
		first, end := spec.Range(5)
		m := &shard.Manifest{Format: shard.Format, Engine: "example", Command: []string{"experiment", "design.yaml"}, Seed: 1, Shard: i, Shards: 2}
		m.Parts = []shard.Part{{Kind: shard.KindPoints, File: "points.txt", Configs: []string{"plan digest"}, Total: 5, First: first, End: end}}
		m.Seal([]byte("design"))
		data := shard.DataFile(&m.Parts[0], func(w io.Writer) error {
			for p := first; p < end; p++ {
				fmt.Fprintf(w, "point %d\n", p)
			}
			return nil
		})
		d := filepath.Join(dir, fmt.Sprint(i))
		out, err := output.Open(d)
		if err != nil {
			fmt.Println(err)
			return
		}
		_, err = out.Publish(context.Background(), []output.File{data, shard.ManifestFile(m)})
		out.Close()
		if err != nil {
			fmt.Println(err)
			return
		}
		dirs = append(dirs, d)
	}
	set, err := shard.Open([]string{dirs[1], dirs[0]}, "example")
	if err != nil {
		fmt.Println(err)
		return
	}
	err = set.ReadParts(shard.KindPoints, func(r io.Reader, p shard.Part) error {
		b, err := io.ReadAll(r)
		fmt.Printf("points %d to %d: %q\n", p.First, p.End-1, b)
		return err
	})
	fmt.Println(err)
	// Output:
	// points 0 to 1: "point 0\npoint 1\n"
	// points 2 to 4: "point 2\npoint 3\npoint 4\n"
	// <nil>
}
