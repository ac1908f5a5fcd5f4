package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/retsim/retsim/sim"
)

// Resource guards: a run larger than either limit is refused unless
// --allow-large is given.
const (
	// maxCustomerMonths is about ten minutes of simulation on a 2-core
	// machine for a full-policy scenario.
	maxCustomerMonths = 2e10
	// estimateRate is the customer-months per second per worker assumed
	// when forecasting run time: the full-policy rate measured by make bench
	// on a 2-core machine, rounded down.
	estimateRate = 2e7
	// settledSeconds is the time per customer assumed when every customer
	// settles as it joins (the neutral world): about twice the time measured.
	settledSeconds = 4e-7
)

// guard forecasts the simulations a command will run, groups one after
// another, the configurations of a group in lockstep (sim.Stream), and
// returns the options to run them with. collected says whether each
// configuration keeps a sim.Collector (a study) or only a few outcomes.
//
// Unless --allow-large is given, it refuses, with a usage error of one line
// naming the parameters responsible, a run forecast above
// maxCustomerMonths or above the memory available (see memoryLimit), and
// caps the customers a replication may keep (sim.Options.MaxCustomers) so
// that a run outgrowing its forecast fails instead of exhausting memory.
// A run it accepts is described on w, in one line, before it starts. A
// merge (runFlags.replay) is not guarded: it simulates nothing.
func (f *runFlags) guard(w io.Writer, name string, groups [][]sim.Config, collected bool) (sim.Options, error) {
	if f.replay != nil { // a merge reads the replications; it simulates nothing
		return sim.Options{Workers: f.workers}, nil
	}
	workers := f.workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var months, secs, bytes float64
	var busiest, largest struct { // the configuration with the most customer-months, the group with the most memory
		cfg sim.Config
		est sim.Estimate
		x   float64
	}
	maxCustomers, peak := math.Inf(1), 0.0
	limit, limitOK := memoryLimit()
	runs := 0
	for _, group := range groups {
		var live, held float64
		var worst sim.Config
		var worstEst sim.Estimate
		for _, cfg := range group {
			runs++
			est := sim.EstimateRun(cfg, workers)
			t := est.CustomerMonths / estimateRate
			if est.Settled {
				t = est.Customers * settledSeconds
			}
			months += est.CustomerMonths
			secs += t / float64(min(workers, cfg.Replications))
			if est.CustomerMonths > busiest.x {
				busiest.cfg, busiest.est, busiest.x = cfg, est, est.CustomerMonths
			}
			// A worker's customers are freed between scenarios.
			if est.Live > live {
				live, worst, worstEst = est.Live, cfg, est
			}
			held += est.Held
			if collected {
				held += est.Collected
			}
			peak = max(peak, est.PeakCustomers)
		}
		gb := live + held
		if gb > largest.x {
			largest.cfg, largest.est, largest.x = worst, worstEst, gb
		}
		bytes = max(bytes, gb)
		if limitOK { // what the limit leaves for the customers of the group's largest configuration
			maxCustomers = min(maxCustomers, float64(worstEst.MaxCustomersWithin(limit-(gb-worstEst.Bytes), worst, workers)))
		}
	}
	opt := sim.Options{Workers: f.workers}
	if !f.allowLarge {
		if months > maxCustomerMonths {
			cause, lower := busiest.est.WorkCause(busiest.cfg)
			if runs > 1 {
				cause += fmt.Sprintf(", over %d runs", runs)
			}
			return opt, usage("%s: forecast %s customer-months (%s) exceeds the limit of %s; lower %s, or pass --allow-large",
				name, human(months), cause, human(maxCustomerMonths), orList(lower))
		}
		if limitOK && bytes > limit {
			cause, lower := largest.est.MemoryCause(largest.cfg)
			return opt, usage("%s: forecast %s of memory (%s) exceeds the %s available; lower %s, or pass --allow-large",
				name, bytesHuman(bytes), cause, bytesHuman(limit), orList(lower))
		}
		if limitOK {
			opt.MaxCustomers = int(min(max(maxCustomers, math.Ceil(peak), 1), 1e15))
		}
	}
	c := groups[0][0]
	fmt.Fprintf(w, "%s: %d replications x %d customers at start x %d periods: about %s customer-months, %s, peak memory about %s\n",
		name, c.Replications, c.Population.Initial, c.Horizon.Periods, human(months),
		(time.Duration(min(secs, 1e9) * float64(time.Second))).Round(time.Second), bytesHuman(bytes))
	return opt, nil
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// reportSpeed says how many customer-months a finished run simulated and
// how fast.
func reportSpeed(w io.Writer, name string, months float64, took time.Duration) {
	fmt.Fprintf(w, "%s: simulated %s customer-months in %s (%s per second)\n", name, human(months),
		took.Round(time.Millisecond), human(months/took.Seconds()))
}

// reportPeak says the process's peak memory so far, where the system tells
// it: called once the outputs are written, it covers the whole run.
func reportPeak(w io.Writer) {
	if peak, ok := procValue("/proc/self/status", "VmHWM:"); ok {
		fmt.Fprintf(w, "peak memory %s, outputs written\n", bytesHuman(peak))
	}
}

// memoryLimit is the memory this process may still use, in bytes: the
// least of the system's available memory (MemAvailable), what the address
// space limit (ulimit -v) leaves above the process's current size, and
// what its cgroup's memory.max leaves, less a tenth for the runtime's own
// needs (heap metadata, stacks, fragmentation); ok is false when none is
// known.
func memoryLimit() (limit float64, ok bool) {
	limit = math.Inf(1)
	if avail, found := procValue("/proc/meminfo", "MemAvailable:"); found {
		limit = avail
	}
	if as, found := addressSpaceLimit(); found {
		size, _ := procValue("/proc/self/status", "VmSize:")
		limit = min(limit, as-size)
	}
	if max, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if m, err := strconv.ParseFloat(strings.TrimSpace(string(max)), 64); err == nil {
			cur := 0.0
			if b, err := os.ReadFile("/sys/fs/cgroup/memory.current"); err == nil {
				cur, _ = strconv.ParseFloat(strings.TrimSpace(string(b)), 64)
			}
			limit = min(limit, m-cur)
		}
	}
	return max(0.9*limit, 0), !math.IsInf(limit, 1)
}

// procValue reads a "Name: N kB" line of a /proc file, in bytes.
func procValue(file, name string) (float64, bool) {
	fh, err := os.Open(file)
	if err != nil {
		return 0, false
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == name {
			kb, err := strconv.ParseFloat(fields[1], 64)
			return kb * 1024, err == nil
		}
	}
	return 0, false
}

// human writes a count with a k, M, G or T suffix, or beyond 1e15 in
// scientific notation.
func human(x float64) string {
	if x >= 1e15 {
		return strconv.FormatFloat(x, 'g', 2, 64)
	}
	for _, u := range []struct {
		div  float64
		unit string
	}{{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if x >= u.div {
			return strconv.FormatFloat(x/u.div, 'f', 1, 64) + u.unit
		}
	}
	return strconv.FormatFloat(x, 'f', 0, 64)
}

// bytesHuman writes a size in bytes as kB, MB, GB or TB.
func bytesHuman(b float64) string { return human(b) + "B" }
