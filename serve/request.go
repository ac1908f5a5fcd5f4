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
)

// maxValue is the longest value of a query parameter, in bytes.
const maxValue = 64

// Query parameters of a run besides the dials' keys.
const (
	paramRef      = "ref"      // the reference: a built-in name or a file given at start
	paramScenario = "scenario" // the scenario the dials move
	paramReps     = "reps"     // replications, 1 to MaxReplications
)

// request is a run asked for: two of the server's choices, the dials' values
// as --set arguments, and the replications.
type request struct {
	ref, scenario string
	sets          []string // key=value for the dials given, in Dials' order
	reps          int
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
	known := []string{paramRef, paramScenario, paramReps}
	for _, d := range Dials {
		known = append(known, d.Key)
	}
	for key, vs := range form {
		if !slices.Contains(known, key) {
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
	if text := form.Get(paramReps); text != "" {
		n, err := strconv.Atoi(text)
		if err != nil || n < 1 || n > MaxReplications {
			return nil, refuse(paramReps, "%s: must be a whole number from 1 to %d, got %q", paramReps, MaxReplications, text)
		}
		req.reps = n
	}
	for _, d := range Dials {
		if form.Has(d.Key) {
			req.sets = append(req.sets, d.Key+"="+form.Get(d.Key))
		}
	}
	return req, nil
}

// shorten cuts s to maxValue bytes for a message.
func shorten(s string) string {
	if len(s) > maxValue {
		return s[:maxValue] + "..."
	}
	return s
}

// load loads the reference, with the scenario's horizon if a dial sets it,
// and the scenario with every dial, both with the replications and the
// reference's seed: common random numbers, as `retsim compare` runs them.
// The scenario is named "moved NAME" when a dial other than the horizon
// moves it. Errors are the *scenarios.Error that --set would give.
func (req *request) load(ctx context.Context) (ref, alt *scenarios.Scenario, err error) {
	reps := "replications=" + strconv.Itoa(req.reps)
	refSets := []string{reps}
	moved := false
	for _, s := range req.sets {
		if key, _, _ := strings.Cut(s, "="); key == "horizon.periods" {
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
