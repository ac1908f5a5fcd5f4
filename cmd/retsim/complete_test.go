package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// completed runs cobra's hidden __complete command on args and returns the
// completions offered, without the directive line.
func completed(t *testing.T, args ...string) []string {
	t.Helper()
	code, stdout, stderr := cli(t, append([]string{"__complete"}, args...)...)
	if code != exitOK {
		t.Fatalf("__complete %v: exit %d: %s", args, code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], ":") {
		t.Fatalf("__complete %v: no directive in %q", args, stdout)
	}
	return lines[:len(lines)-1]
}

// Shell completion offers scenario names and files, parameter keys and
// outcome names where each belongs, and nothing where nothing fits.
func TestCompletion(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"firm.yaml", "firm.toml", "notes.txt", "sub/x.json"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d := dir + string(filepath.Separator)
	for _, tc := range []struct {
		args         []string
		want, absent []string
	}{
		{[]string{"run", "tak"}, []string{"taking", "taking-uncertain"}, []string{"giving"}},
		{[]string{"compare", "taking", "gi"}, []string{"giving", "giving-uncertain"}, nil},
		{[]string{"run", d}, []string{d + "firm.yaml", d + "firm.toml", d + "sub" + string(filepath.Separator)}, []string{d + "notes.txt"}},
		{[]string{"run", "baseline", ""}, nil, []string{"baseline", "taking"}}, // run takes one scenario
		{[]string{"scenarios", "show", "neu"}, []string{"neutral"}, nil},
		{[]string{"validate", "base"}, []string{"baseline"}, nil},
		{[]string{"sensitivity", "mono"}, []string{"monopoly"}, nil},
		{[]string{"compare", "baseline", "baseline+policy.gi"}, []string{"baseline+policy.giving="}, nil},
		{[]string{"run", "baseline", "--set", "churn.al"}, []string{"churn.alpha=", "churn.alpha_sd="}, []string{"churn.beta="}},
		{[]string{"sweep", "baseline", "--param", "policy.hu"}, []string{"policy.human_share="}, nil},
		{[]string{"sweep", "baseline", "--against", "gen"}, []string{"generous"}, nil},
		{[]string{"sensitivity", "baseline", "--params", "churn.alpha,market.c"}, []string{"churn.alpha,market.cac"}, []string{"market.cac"}},
		{[]string{"compare", "a", "b", "--outcome", "final_"}, []string{"final_active", "final_nps"}, []string{"value"}},
		{[]string{"run", "baseline", "--outcome", "total_cost"}, []string{"total_cost_service"}, nil},
		{[]string{"sensitivity", "baseline", "--outcome", "val"}, []string{"value"}, nil},
	} {
		got := completed(t, tc.args...)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("%v: completions %q lack %q", tc.args, got, w)
			}
		}
		for _, a := range tc.absent {
			if slices.Contains(got, a) {
				t.Errorf("%v: completions %q offer %q", tc.args, got, a)
			}
		}
	}
}
