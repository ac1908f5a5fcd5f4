package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
)

// retsimProcess runs the test binary as retsim (see TestMain) with args,
// in its own process.
func retsimProcess(args ...string) error {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "RETSIM_AS_CLI=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("retsim %v: %w: %s", args, err, out)
	}
	return nil
}

// BenchmarkScaleOut measures a comparison (taking and giving at their
// built-in size, 10 replications per core) run four ways, each in its own
// processes: in one process on one core; in one process on every core; as
// N shards on N cores (N = the cores), one process each, at once; and the
// merge of those N shards. The merge sub-benchmark reports the speed-up of
// sharding, the first's time over the third's and fourth's together
// (ideally N: each shard draws no chart, the merge draws them once, as
// the single run does), and merge-share, the merge's time over the
// single run's on one core. RETSIM_SCALEOUT_REPS sets the replications
// per core (default 10). Run with -benchtime=1x on a quiet machine.
func BenchmarkScaleOut(b *testing.B) {
	n := runtime.NumCPU()
	perCore := 10
	if v, err := strconv.Atoi(os.Getenv("RETSIM_SCALEOUT_REPS")); err == nil && v > 0 {
		perCore = v
	}
	cmd := []string{"compare", "taking", "giving", "--replications", strconv.Itoa(perCore * n)}
	var one, sharded float64 // seconds per run: one process on one core, the shards
	dir := b.TempDir()
	shards := func() []string {
		dirs := make([]string, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			dirs[i] = filepath.Join(dir, "shard-"+strconv.Itoa(i))
			wg.Go(func() {
				errs[i] = retsimProcess(append(cmd, "--workers", "1", "--shard", fmt.Sprintf("%d/%d", i, n), "--out", dirs[i])...)
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
		return dirs
	}
	reps := float64(2 * perCore * n) // replications of both scenarios
	b.Run("one process, 1 core", func(b *testing.B) {
		for b.Loop() {
			if err := retsimProcess(append(cmd, "--workers", "1", "--out", filepath.Join(dir, "one"))...); err != nil {
				b.Fatal(err)
			}
		}
		one = b.Elapsed().Seconds() / float64(b.N)
		b.ReportMetric(reps*float64(b.N)/b.Elapsed().Seconds(), "replications/s")
	})
	b.Run(fmt.Sprintf("one process, %d cores", n), func(b *testing.B) {
		for b.Loop() {
			if err := retsimProcess(append(cmd, "--workers", strconv.Itoa(n), "--out", filepath.Join(dir, "all"))...); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(reps*float64(b.N)/b.Elapsed().Seconds(), "replications/s")
	})
	var dirs []string
	b.Run(fmt.Sprintf("%d shards, 1 core each", n), func(b *testing.B) {
		for b.Loop() {
			dirs = shards()
		}
		sharded = b.Elapsed().Seconds() / float64(b.N)
		b.ReportMetric(reps*float64(b.N)/b.Elapsed().Seconds(), "replications/s")
	})
	b.Run(fmt.Sprintf("merge %d shards", n), func(b *testing.B) {
		if dirs == nil {
			dirs = shards()
		}
		for b.Loop() {
			if err := retsimProcess(append([]string{"merge", "--out", filepath.Join(dir, "merged")}, dirs...)...); err != nil {
				b.Fatal(err)
			}
		}
		merge := b.Elapsed().Seconds() / float64(b.N)
		b.ReportMetric(reps/merge, "replications/s")
		if one > 0 && sharded > 0 {
			b.ReportMetric(one/(sharded+merge), "speed-up")
			b.ReportMetric(merge/one, "merge-share")
		}
	})
}
