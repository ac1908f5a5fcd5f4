package serve

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// maxValue is the longest value of a query parameter, in bytes.
const maxValue = 64

// Query parameters of a run besides the parameters' keys.
const (
	paramRef      = "ref"      // the reference: a built-in name or a file given at start
	paramScenario = "scenario" // the scenario the parameters move
	paramReps     = "reps"     // replications, 1 to MaxReplications
	paramRep      = "rep"      // the replication of a customer's story, 0 to reps-1
	paramCustomer = "customer" // the initial customer of a story, 0 to population.initial-1
)

// Settable reports whether the page may set parameter key: every parameter
// of sim.Params but replications, which reps sets.
func Settable(key string) bool {
	_, ok := sim.Lookup(key)
	return ok && key != "replications"
}

// shared reports whether parameter key is set in the reference too: a
// comparison needs one horizon, and common random numbers one seed.
func shared(key string) bool { return key == "horizon.periods" || key == "seed" }

// request is a run asked for: two of the server's choices, the parameters'
// values as --set arguments, the replications, and the customer whose
// story is told.
type request struct {
	ref, scenario string
	sets          []string // key=value for the parameters given, in sim.Params' order
	reps          int
	rep, customer int
}

// requestError is a request refused before anything is loaded, with the
// parameter at fault.
type requestError struct {
	field string
	err   error
}

func (e *requestError) Error() string { return e.err.Error() }

func refuse(field, format string, a ...any) error {
	return &requestError{field, fmt.Errorf(format, a...)}
}

// parse reads a run from r's query (or form): known parameters only, each
// at most once and at most maxValue bytes, ref and scenario among choices.
func parse(r *http.Request, choices []string) (*request, error) {
	if err := r.ParseForm(); err != nil {
		return nil, refuse("", "bad request: %v", err)
	}
	return parseValues(r.Form, choices)
}

func parseValues(form url.Values, choices []string) (*request, error) {
	req := &request{reps: DefaultReplications}
	known := []string{paramRef, paramScenario, paramReps, paramRep, paramCustomer}
	for key, vs := range form {
		if !slices.Contains(known, key) && !Settable(key) {
			return nil, refuse(key, "unknown parameter %q", shorten(key))
		}
		if len(vs) != 1 {
			return nil, refuse(key, "%s: given %d times; give it once", key, len(vs))
		}
		if len(vs[0]) > maxValue {
			return nil, refuse(key, "%s: value of %d bytes exceeds the limit of %d", key, len(vs[0]), maxValue)
		}
	}
	for _, p := range []struct {
		key string
		to  *string
	}{{paramRef, &req.ref}, {paramScenario, &req.scenario}} {
		*p.to = form.Get(p.key)
		if !slices.Contains(choices, *p.to) {
			return nil, refuse(p.key, "%s: %q is not offered; choose a built-in scenario or a file given at start", p.key, *p.to)
		}
	}
	for _, p := range []struct {
		key    string
		to     *int
		lo, hi int
	}{{paramReps, &req.reps, 1, MaxReplications}, {paramRep, &req.rep, 0, MaxReplications - 1}, {paramCustomer, &req.customer, 0, maxCustomer}} {
		if text := form.Get(p.key); text != "" {
			n, err := strconv.Atoi(text)
			if err != nil || n < p.lo || n > p.hi {
				return nil, refuse(p.key, "%s: must be a whole number from %d to %d, got %q", p.key, p.lo, p.hi, text)
			}
			*p.to = n
		}
	}
	for _, p := range sim.Params {
		if Settable(p.Key) && form.Has(p.Key) {
			req.sets = append(req.sets, p.Key+"="+form.Get(p.Key))
		}
	}
	return req, nil
}

// maxCustomer bounds a story's customer before any scenario is loaded;
// Trace refuses one beyond the scenario's initial customers.
const maxCustomer = 1e9

// shorten cuts s to maxValue bytes for a message.
func shorten(s string) string {
	if len(s) > maxValue {
		return s[:maxValue] + "..."
	}
	return s
}

// load loads the reference, with the scenario's horizon and seed if the
// request sets them, and the scenario with every parameter set, both with
// the replications and the reference's seed: common random numbers, as
// `retsim compare` runs them. The scenario is named "moved NAME" when a
// parameter other than the horizon and seed moves it. Errors are the
// *scenarios.Error that --set would give.
func (req *request) load(ctx context.Context) (ref, alt *scenarios.Scenario, err error) {
	reps := "replications=" + strconv.Itoa(req.reps)
	refSets := []string{reps}
	moved := false
	for _, s := range req.sets {
		if key, _, _ := strings.Cut(s, "="); shared(key) {
			refSets = append(refSets, s)
		} else {
			moved = true
		}
	}
	if alt, err = scenarios.LoadContext(ctx, req.scenario, scenarios.Sources{Sets: append(slices.Clone(req.sets), reps)}); err != nil {
		return nil, nil, err
	}
	if ref, err = scenarios.LoadContext(ctx, req.ref, scenarios.Sources{Sets: refSets}); err != nil {
		return nil, nil, err
	}
	alt.Config.Seed = ref.Config.Seed
	if moved {
		alt.Name = "moved " + alt.Name
	}
	return ref, alt, nil
}
