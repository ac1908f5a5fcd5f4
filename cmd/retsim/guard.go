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
	// estimateRate is the customer-months per second per worker assumed
	// when forecasting run time: the full-policy rate measured by make bench
	// on a 2-core machine, rounded down.
	estimateRate = 2e7
	// settledSeconds is the time per customer assumed when every customer
	// settles as it joins (the neutral world): about twice the time measured.
	settledSeconds = 4e-7
)

// workLimit is the work guard, in customer-months: about ten minutes of
// simulation on a 2-core machine for a full-policy scenario. A variable
// only so that tests can lower it.
var workLimit = 2e10

// guard forecasts the simulations a command will run, groups one after
// another, the configurations of a group in lockstep (sim.Stream), and
// returns the options to run them with. collected says whether each
// configuration keeps a sim.Collector (a study) or only a few outcomes.
//
// Unless --allow-large is given, it refuses, with a usage error of one line
// naming the parameters responsible, a run forecast above workLimit or
// above the memory available (see memoryLimit), and caps the customers a
// replication may keep (sim.Options.MaxCustomers) so that a run outgrowing
// its forecast fails instead of exhausting memory. A run it accepts is
// described on w, in one line, before it starts. A merge (runFlags.replay)
// is not guarded: it simulates nothing.
func (f *runFlags) guard(w io.Writer, name string, groups [][]sim.Config, collected bool) (sim.Options, error) {
	if f.replay != nil { // a merge reads the replications; it simulates nothing
		return sim.Options{Workers: f.workers}, nil
	}
	fc := f.forecast(groups, collected)
	opt, err := f.check(name, fc)
	if err == nil {
		c := groups[0][0]
		fmt.Fprintf(w, "%s: %d replications x %d customers at start x %d periods: about %s customer-months, %s, peak memory about %s\n",
			name, c.Replications, c.Population.Initial, c.Horizon.Periods, human(fc.months), fc.duration(), bytesHuman(fc.peakMemory()))
	}
	return opt, err
}

// guardAdaptive is guard for an analysis that runs first, certainly, and
// then at most upTo, the same configurations at more replications, as it
// decides (an adaptive sensitivity analysis): it refuses only when first
// is over a guard, and forecasts upTo as an upper bound. It returns the
// options to run with and the customer-months the analysis may use in all
// (0: no limit, with --allow-large), by forecast, which it must respect at
// run time; each forecast goes on w in its own line.
func (f *runFlags) guardAdaptive(w io.Writer, name string, first, upTo [][]sim.Config) (sim.Options, float64, error) {
	fc := f.forecast(first, false)
	opt, err := f.check(name, fc)
	if err != nil {
		return opt, 0, err
	}
	most := f.forecast(upTo, false)
	c, cap := first[0][0], upTo[0][0]
	fmt.Fprintf(w, "%s: first look, %d replication(s) x %d customers at start x %d periods: about %s customer-months, %s, peak memory about %s\n",
		name, c.Replications, c.Population.Initial, c.Horizon.Periods, human(fc.months), fc.duration(), bytesHuman(fc.peakMemory()))
	fmt.Fprintf(w, "%s: at most %d replications (the cap): about %s customer-months, %s\n", name, cap.Replications, human(most.months), most.duration())
	budget := 0.0
	if !f.allowLarge && most.months > workLimit {
		budget = workLimit
		fmt.Fprintf(w, "%s: refinement stops at the work limit of %s customer-months; pass --allow-large to lift it\n", name, human(workLimit))
	}
	return opt, budget, nil
}

// forecast is what guard foresees of a run: its work, time and memory,
// the configurations responsible for the largest, and what the memory
// limit leaves for a replication's customers.
type forecast struct {
	months, secs, bytes float64
	runs                int
	// busiest is the configuration with the most customer-months, largest
	// the group's with the most memory.
	busiest, largest struct {
		cfg sim.Config
		est sim.Estimate
		x   float64
	}
	maxCustomers, peak float64
	limit              float64
	limitOK            bool
}

// outputBytes is the memory allowed for writing a run's outputs beyond
// what the run holds: charts rendered in memory and report.html with them
// embedded, with the program code they bring in; measured at 15 to 25 MB
// of peak resident memory above the heap in use for runs of 60 and 600
// periods.
const outputBytes = 16 << 20

// peakMemory is the forecast peak resident memory of the process, in
// bytes, to compare with what reportPeak says after the run: what the
// process holds now (its program, runtime and loaded scenarios: VmRSS,
// about 16 MB), outputBytes, and the forecast heap (sim.Estimate.Bytes,
// see there why it stands for the heap's peak, garbage included).
// Measured for giving, baseline and taking at 60 and 600 periods, 50 to
// 1,000 replications, it came within 25% of the peak (see the README).
func (fc forecast) peakMemory() float64 {
	rss, _ := procValue("/proc/self/status", "VmRSS:")
	return rss + outputBytes + fc.bytes
}

// duration is the forecast time, to the second.
func (fc forecast) duration() time.Duration {
	return (time.Duration(min(fc.secs, 1e9) * float64(time.Second))).Round(time.Second)
}

// forecast foresees a run of groups (see guard) on f's workers.
func (f *runFlags) forecast(groups [][]sim.Config, collected bool) forecast {
	workers := f.workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var fc forecast
	fc.maxCustomers = math.Inf(1)
	fc.limit, fc.limitOK = memoryLimit()
	for _, group := range groups {
		var live, held float64
		var worst sim.Config
		var worstEst sim.Estimate
		for _, cfg := range group {
			fc.runs++
			est := sim.EstimateRun(cfg, workers)
			t := est.CustomerMonths / estimateRate
			if est.Settled {
				t = est.Customers * settledSeconds
			}
			fc.months += est.CustomerMonths
			fc.secs += t / float64(min(workers, cfg.Replications))
			if est.CustomerMonths > fc.busiest.x {
				fc.busiest.cfg, fc.busiest.est, fc.busiest.x = cfg, est, est.CustomerMonths
			}
			// A worker's customers are freed between scenarios.
			if est.Live > live {
				live, worst, worstEst = est.Live, cfg, est
			}
			held += est.Held
			if collected {
				held += est.Collected
			}
			fc.peak = max(fc.peak, est.PeakCustomers)
		}
		gb := live + held
		if gb > fc.largest.x {
			fc.largest.cfg, fc.largest.est, fc.largest.x = worst, worstEst, gb
		}
		fc.bytes = max(fc.bytes, gb)
		if fc.limitOK { // what the limit leaves for the customers of the group's largest configuration
			fc.maxCustomers = min(fc.maxCustomers, float64(worstEst.MaxCustomersWithin(fc.limit-(gb-worstEst.Bytes), worst, workers)))
		}
	}
	return fc
}

// check refuses, unless --allow-large is given, a run forecast over a
// guard, and returns the options to run it with (see guard).
func (f *runFlags) check(name string, fc forecast) (sim.Options, error) {
	opt := sim.Options{Workers: f.workers}
	if f.allowLarge {
		return opt, nil
	}
	if fc.months > workLimit {
		cause, lower := fc.busiest.est.WorkCause(fc.busiest.cfg)
		if fc.runs > 1 {
			cause += fmt.Sprintf(", over %d runs", fc.runs)
		}
		return opt, usage("%s: forecast %s customer-months (%s) exceeds the limit of %s; lower %s, or pass --allow-large",
			name, human(fc.months), cause, human(workLimit), orList(lower))
	}
	if fc.limitOK && fc.bytes > fc.limit {
		cause, lower := fc.largest.est.MemoryCause(fc.largest.cfg)
		return opt, usage("%s: forecast %s of memory (%s) exceeds the %s available; lower %s, or pass --allow-large",
			name, bytesHuman(fc.bytes), cause, bytesHuman(fc.limit), orList(lower))
	}
	if fc.limitOK {
		opt.MaxCustomers = int(min(max(fc.maxCustomers, math.Ceil(fc.peak), 1), 1e15))
	}
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
