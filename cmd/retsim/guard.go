package main

import (
	"bufio"
	"fmt"
	"io"
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

// guard prints what a run will simulate, with a forecast of time and
// memory, and refuses it when it is larger than the guards allow and
// --allow-large was not given. The run is of the configurations in cfgs,
// in lockstep (sim.Stream) when there are several, each repeated runs times
// one after another (grid points); collected says whether each keeps a
// sim.Collector (a study) or only a few outcomes.
func (f *runFlags) guard(w io.Writer, name string, cfgs []sim.Config, runs int, collected bool) error {
	workers := f.workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var months, secs, live, bytes float64
	for _, cfg := range cfgs {
		est := sim.EstimateRun(cfg, workers)
		m := est.CustomerMonths * float64(runs)
		t := m / estimateRate
		if est.Settled {
			t = est.Customers * float64(runs) * settledSeconds
		}
		months += m
		secs += t / float64(min(workers, cfg.Replications))
		live = max(live, est.Live) // a worker's customers are freed between scenarios
		bytes += est.Held
		if collected {
			bytes += est.Collected
		}
	}
	bytes += live
	c := cfgs[0]
	fmt.Fprintf(w, "%s: %d replications x %d customers at start x %d periods: about %s customer-months, %s, peak memory about %s\n",
		name, c.Replications, c.Population.Initial, c.Horizon.Periods, human(months),
		(time.Duration(secs * float64(time.Second))).Round(time.Second), bytesHuman(bytes))
	if f.allowLarge {
		return nil
	}
	if months > maxCustomerMonths {
		return usage("%s: about %s customer-months exceeds the guard of %s; use fewer replications, customers or periods, or --allow-large",
			name, human(months), human(maxCustomerMonths))
	}
	if avail, ok := availableMemory(); ok && bytes > avail {
		return usage("%s: needs about %s of memory, %s is available; use fewer customers or workers, or --allow-large",
			name, bytesHuman(bytes), bytesHuman(avail))
	}
	return nil
}

// reportSpeed says how many customer-months a finished run simulated, how
// fast, and the process's peak memory so far, where the system tells it.
func reportSpeed(w io.Writer, name string, months float64, took time.Duration) {
	fmt.Fprintf(w, "%s: simulated %s customer-months in %s (%s per second)", name, human(months),
		took.Round(time.Millisecond), human(months/took.Seconds()))
	if peak, ok := procValue("/proc/self/status", "VmHWM:"); ok {
		fmt.Fprintf(w, ", peak memory %s", bytesHuman(peak))
	}
	fmt.Fprintln(w)
}

// availableMemory is MemAvailable from /proc/meminfo, where there is one.
func availableMemory() (float64, bool) { return procValue("/proc/meminfo", "MemAvailable:") }

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

// human writes a count with a k, M or G suffix.
func human(x float64) string {
	for _, u := range []struct {
		div  float64
		unit string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if x >= u.div {
			return strconv.FormatFloat(x/u.div, 'f', 1, 64) + u.unit
		}
	}
	return strconv.FormatFloat(x, 'f', 0, 64)
}

// bytesHuman writes a size in bytes as kB, MB or GB.
func bytesHuman(b float64) string { return human(b) + "B" }
