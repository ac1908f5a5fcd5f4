package scenarios_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/retsim/retsim/scenarios"
)

// checkError fails unless err is nil or a one-line *scenarios.Error.
func checkError(t *testing.T, input string, err error) {
	t.Helper()
	var e *scenarios.Error
	if err != nil && (!errors.As(err, &e) || strings.Contains(err.Error(), "\n")) {
		t.Errorf("%q: got %q (%T), want a one-line *scenarios.Error", input, err, err)
	}
}

// FuzzSet checks that no --set argument makes Load panic or return anything
// but a scenario or a one-line *Error. Seeds: f.Add below and testdata/fuzz.
func FuzzSet(f *testing.F) {
	for _, s := range []string{"churn.alpha=0.5", "churn.alpha", "=1", "seed=-1", "policy.giving=NaN", "population.initial=1e300", "horizon.periods=0x10", "churn.alpah=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, set string) {
		_, err := scenarios.Load("neutral", scenarios.Sources{Sets: []string{set}})
		checkError(t, set, err)
	})
}

// FuzzEnv does the same for one environment variable.
func FuzzEnv(f *testing.F) {
	for _, s := range []string{"RETSIM_CHURN_ALPHA=0.5", "RETSIM_CHURN_ALPHA=abc", "RETSIM_SEEDS=1", "RETSIM_=1", "RETSIM_POLICY_GIVING=-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, env string) {
		_, err := scenarios.Load("neutral", scenarios.Sources{Env: []string{env}})
		checkError(t, env, err)
	})
}
