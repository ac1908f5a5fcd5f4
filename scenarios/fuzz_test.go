package scenarios_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/retsim/retsim/scenarios"
)

// checkError fails unless err is nil or a one-line *scenarios.Error in
// plain words: no names of Go types or functions (unless the input holds
// them), no more than a few hundred bytes of what was given.
func checkError(t *testing.T, input string, err error) {
	t.Helper()
	var e *scenarios.Error
	if err != nil && (!errors.As(err, &e) || strings.Contains(err.Error(), "\n")) {
		t.Errorf("%.200q: got %.300q (%T), want a one-line *scenarios.Error", input, err, err)
	}
	if err == nil {
		return
	}
	for _, jargon := range []string{"interface {}", "interface{}", "Go value", "Go struct", "strconv.", "map[string]", "[]interface", "reflect", "<nil>", "%!"} {
		if strings.Contains(err.Error(), jargon) && !strings.Contains(input, jargon) {
			t.Errorf("%.200q: error %.300q speaks of %q", input, err, jargon)
		}
	}
	if len(err.Error()) > 1000 {
		t.Errorf("%.200q: error of %d bytes", input, len(err.Error()))
	}
}

// deepSeeds are inputs nested far beyond every limit, or with keys of
// very many dotted parts, in each format; the fuzz targets start from
// them as well as from ordinary inputs.
var deepSeeds = []string{
	strings.Repeat("a.", 1000) + "a = 1\n",
	"[" + strings.Repeat("a.", 1000) + "a]\nb = 1\n",
	"a = " + strings.Repeat("{a=", 1000) + "1" + strings.Repeat("}", 1000) + "\n",
	"a = " + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + "\n",
	strings.Repeat("a.", 1000) + "a: 1\n",
	"churn: " + strings.Repeat("{a: ", 1000) + "1" + strings.Repeat("}", 1000) + "\n",
	strings.Repeat("- ", 1000) + "1\n",
	strings.Repeat(`{"a":`, 1000) + "1" + strings.Repeat("}", 1000),
	`{"` + strings.Repeat("a.", 1000) + `a": 1}`,
	"churn.alpha: 0.5\n---\nchurn.zzz: -1\n",
	"%YAML 1.2\n---\nseed: 9007199254740993\n",
	"churn:\n  alpha: 1e309\n",
	`{"seed": 18446744073709551615, "churn": {"alpha": 1e309}}`,
	"seed = 9223372036854775808\n",
}

// FuzzSet checks that no --set argument makes Load panic or return anything
// but a scenario or a one-line *Error. Seeds: f.Add below and testdata/fuzz.
func FuzzSet(f *testing.F) {
	for _, s := range []string{"churn.alpha=0.5", "churn.alpha", "=1", "seed=-1", "policy.giving=NaN", "population.initial=1e300", "horizon.periods=0x10", "churn.alpah=1",
		"seed=9007199254740993", "seed=18446744073709551616", "replications=9007199254740993", "churn.alpha=1e309",
		strings.Repeat("a.", 1000) + "a=1", "churn." + strings.Repeat("x", 2000) + "=1", "service.human_cost_basic=50"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, set string) {
		_, err := scenarios.Load("neutral", scenarios.Sources{Sets: []string{set}})
		checkError(t, set, err)
	})
}

// FuzzEnv does the same for one environment variable.
func FuzzEnv(f *testing.F) {
	for _, s := range []string{"RETSIM_CHURN_ALPHA=0.5", "RETSIM_CHURN_ALPHA=abc", "RETSIM_SEEDS=1", "RETSIM_=1", "RETSIM_POLICY_GIVING=-0",
		"RETSIM_SEED=9007199254740993", "RETSIM_SEED=18446744073709551616", "RETSIM_CHURN_ALPHA=1e309",
		"RETSIM_CHURN_" + strings.Repeat("A_", 1000) + "=1", "RETSIM_SERVICE_HUMAN_COST_BASIC=50"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, env string) {
		_, err := scenarios.Load("neutral", scenarios.Sources{Env: []string{env}})
		checkError(t, env, err)
	})
}
