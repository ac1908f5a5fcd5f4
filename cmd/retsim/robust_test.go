package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// badCase is hostile or mistaken input: the command line (with {dir}
// standing for a directory holding the case's files), the files, the
// environment, and what the one-line error must contain.
type badCase struct {
	name  string
	args  []string
	files map[string]string
	env   map[string]string
	want  string
}

var badCases = []badCase{
	// Scenario files.
	{name: "text for a number", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "churn:\n  alpha: abc\n"}, want: "s.yaml: churn.alpha"},
	{name: "quoted number", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "churn:\n  alpha: \"1\"\n"}, want: "churn.alpha"},
	{name: "boolean for a number", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "churn:\n  alpha: true\n"}, want: "churn.alpha"},
	{name: "probability above 1", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "policy:\n  giving: 1.5\n"}, want: "policy.giving: must be in [0, 1], got 1.5"},
	{name: "negative alpha", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "churn:\n  alpha: -1\n"}, want: "s.yaml: churn.alpha: must be > 0, got -1"},
	{name: "negative count", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "population:\n  initial: -5\n"}, want: "population.initial"},
	{name: "fraction for a whole number", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "horizon:\n  periods: 2.5\n"}, want: "horizon.periods"},
	{name: "NaN", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "churn:\n  alpha: .nan\n"}, want: "churn.alpha"},
	{name: "infinity", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "churn:\n  beta: .inf\n"}, want: "churn.beta"},
	{name: "unknown key", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "churn:\n  gamma: 1\n"}, want: "churn.gamma"},
	{name: "misspelled key", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "churn:\n  alpah: 1\n"}, want: "churn.alpha"},
	{name: "misspelled section", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "chrun:\n  alpha: 1\n"}, want: "chrun"},
	{name: "duplicate key", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "seed: 1\nseed: 2\n"}, want: "s.yaml"},
	{name: "duplicate JSON key", args: []string{"run", "{dir}/s.json"}, files: map[string]string{"s.json": `{"churn": {"alpha": 1, "beta": 2, "alpha": 3}}`}, want: "s.json: churn.alpha: given twice"},
	{name: "duplicate TOML key", args: []string{"run", "{dir}/s.toml"}, files: map[string]string{"s.toml": "seed = 1\nseed = 2\n"}, want: "s.toml"},
	{name: "empty file", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": ""}, want: "s.yaml"},
	{name: "binary file", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "\x00\x01\xff\xfe\x89PNG"}, want: "s.yaml"},
	{name: "huge file", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "# " + strings.Repeat("x", 2<<20)}, want: "s.yaml: larger than"},
	{name: "alias bomb", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": aliasBomb()}, want: "s.yaml"},
	{name: "deep nesting", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "churn: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n"}, want: "s.yaml"},
	{name: "directory for a file", args: []string{"run", "{dir}/d.yaml"}, files: map[string]string{"d.yaml/": ""}, want: "d.yaml: is a directory"},
	{name: "unreadable path", args: []string{"run", "{dir}/f.yaml/s.yaml"}, files: map[string]string{"f.yaml": "seed: 1\n"}, want: "s.yaml"},
	{name: "missing file", args: []string{"run", "{dir}/none.yaml"}, want: "none.yaml: no such file"},
	{name: "cycle in extends", args: []string{"run", "{dir}/a.yaml"}, files: map[string]string{"a.yaml": "extends: b.yaml\n", "b.yaml": "extends: a.yaml\n"}, want: "a.yaml"},
	{name: "missing parent", args: []string{"run", "{dir}/a.yaml"}, files: map[string]string{"a.yaml": "extends: nowhere.yaml\n"}, want: "nowhere.yaml"},
	{name: "unknown built-in parent", args: []string{"run", "{dir}/a.yaml"}, files: map[string]string{"a.yaml": "extends: baseline2\n"}, want: "baseline2"},
	{name: "bad TOML", args: []string{"run", "{dir}/s.toml"}, files: map[string]string{"s.toml": "[churn\nalpha = 1\n"}, want: "s.toml"},
	{name: "bad JSON", args: []string{"run", "{dir}/s.json"}, files: map[string]string{"s.json": "{\"churn\": {\"alpha\": 1,}}"}, want: "s.json"},
	{name: "JSON wrong type", args: []string{"run", "{dir}/s.json"}, files: map[string]string{"s.json": "{\"churn\": {\"alpha\": \"x\"}}"}, want: "churn.alpha"},
	{name: "TOML wrong type", args: []string{"run", "{dir}/s.toml"}, files: map[string]string{"s.toml": "[policy]\ngiving = \"all\"\n"}, want: "policy.giving"},
	{name: "unknown file type", args: []string{"run", "{dir}/s.txt"}, files: map[string]string{"s.txt": "seed: 1\n"}, want: "s.txt"},
	{name: "discount longer than a year", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "discounts:\n  months: 13\n"}, want: "discounts.months"},
	{name: "skilled cheaper than basic", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "service:\n  human_cost_skilled: 1\n"}, want: "service.human_cost_skilled"},
	{name: "more customers than the market", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "market:\n  potential: 10\n"}, want: "population.initial"},
	{name: "second YAML document", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "churn:\n  alpha: 0.5\n---\nchurn:\n  zzz: -1\n"}, want: "s.yaml: cannot parse as YAML: line 3: a second YAML document starts here"},
	{name: "number beyond float64", args: []string{"run", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "churn:\n  alpha: 1e309\n"}, want: "s.yaml: churn.alpha: must be a finite number (at most about 1.8e308 in size), got 1e309"},
	{name: "JSON list", args: []string{"run", "{dir}/s.json"}, files: map[string]string{"s.json": "[1]"}, want: "s.json: cannot parse as JSON: the top level must be an object"},
	{name: "TOML key 100,000 parts deep", args: []string{"run", "{dir}/s.toml"}, files: map[string]string{"s.toml": strings.Repeat("a.", 100000) + "a = 1\n"}, want: "s.toml: line 1: a key with more than 16 dotted parts"},
	{name: "validate a bad file", args: []string{"validate", "{dir}/s.yaml"}, files: map[string]string{"s.yaml": "churn:\n  alpha: 0\n"}, want: "s.yaml: churn.alpha"},

	// Flags.
	{name: "replications not a number", args: []string{"run", "neutral", "--replications", "many"}, want: "replications"},
	{name: "zero replications", args: []string{"run", "neutral", "--replications", "0"}, want: "replications"},
	{name: "negative seed", args: []string{"run", "neutral", "--seed", "-1"}, want: "seed"},
	{name: "negative workers", args: []string{"run", "neutral", "--workers", "-2"}, want: "--workers"},
	{name: "set without value", args: []string{"run", "neutral", "--set", "churn.alpha"}, want: "churn.alpha"},
	{name: "set unknown key", args: []string{"run", "neutral", "--set", "churn.alhpa=1"}, want: "churn.alpha"},
	{name: "set NaN", args: []string{"run", "neutral", "--set", "churn.alpha=NaN"}, want: "churn.alpha"},
	{name: "set decimal comma", args: []string{"run", "neutral", "--set", "churn.alpha=0,5"}, want: "churn.alpha"},
	{name: "set newline", args: []string{"run", "neutral", "--set", "churn.alpha=1\n2"}, want: "churn.alpha"},
	{name: "set breaks a relation", args: []string{"run", "neutral", "--set", "service.human_cost_basic=50"}, want: "set:service.human_cost_basic=50: service.human_cost_basic: conflicts with service.human_cost_skilled"},
	{name: "seed beyond 64 bits", args: []string{"run", "neutral", "--set", "seed=18446744073709551616"}, want: "seed: must be a whole number from 0 to 18446744073709551615, got 18446744073709551616"},
	{name: "sensitivity empty parameter name", args: []string{"sensitivity", "baseline", "--params", ","}, want: "--params: name 1 of 2 in the list is empty"},
	{name: "negative precision", args: []string{"run", "neutral", "--precision", "-1"}, want: "--precision"},
	{name: "unknown outcome", args: []string{"run", "neutral", "--precision", "10", "--outcome", "happiness"}, want: "--outcome"},
	{name: "unknown flag", args: []string{"run", "neutral", "--bogus"}, want: "bogus"},
	{name: "no scenario", args: []string{"run"}, want: "takes 1 scenario"},
	{name: "unknown scenario", args: []string{"run", "no-such-scenario"}, want: "no-such-scenario"},
	{name: "compare one scenario", args: []string{"compare", "taking"}, want: "at least 2"},
	{name: "sweep without a grid", args: []string{"sweep", "baseline"}, want: "--param"},
	{name: "sweep bad grid", args: []string{"sweep", "baseline", "--param", "policy.giving=0:1"}, want: "policy.giving"},
	{name: "sweep outside the range", args: []string{"sweep", "baseline", "--param", "policy.giving=0:2:3"}, want: "policy.giving"},
	{name: "sensitivity unknown parameter", args: []string{"sensitivity", "baseline", "--params", "churn.gamma"}, want: "churn.gamma"},
	{name: "sensitivity top 0", args: []string{"sensitivity", "baseline", "--top", "0"}, want: "--top: must be at least 1, got 0"},
	{name: "sensitivity tolerance 1", args: []string{"sensitivity", "baseline", "--tolerance", "1"}, want: "--tolerance: must be at least 0 and below 1, got 1"},
	{name: "absurd contact rate", args: []string{"run", "neutral", "--set", "service.contact_rate=1e9"}, want: "service.contact_rate: must be at most 80"},
	{name: "output directory is a file", args: []string{"run", "neutral", "--out", "{dir}/f.txt"}, files: map[string]string{"f.txt": "x"}, want: "--out"},
	{name: "work guard", args: []string{"run", "baseline", "--replications", "10000000"}, want: "--allow-large"},

	// Environment.
	{name: "env not a number", args: []string{"run", "neutral"}, env: map[string]string{"RETSIM_CHURN_ALPHA": "abc"}, want: "RETSIM_CHURN_ALPHA"},
	{name: "env misspelled", args: []string{"run", "neutral"}, env: map[string]string{"RETSIM_CHURN_ALHPA": "1"}, want: "RETSIM_CHURN_ALHPA"},
	{name: "env out of range", args: []string{"run", "neutral"}, env: map[string]string{"RETSIM_POLICY_GIVING": "2"}, want: "policy.giving"},
	{name: "validate honours the environment", args: []string{"validate", "neutral"}, env: map[string]string{"RETSIM_CHURN_ALPHA": "-1"}, want: "env:RETSIM_CHURN_ALPHA: churn.alpha: must be > 0, got -1"},
	{name: "params honours the environment", args: []string{"params"}, env: map[string]string{"RETSIM_CHURN_ALHPA": "1"}, want: "env:RETSIM_CHURN_ALHPA: unknown parameter variable; did you mean RETSIM_CHURN_ALPHA?"},
	{name: "fit honours the environment", args: []string{"fit", "{dir}/d.csv"}, files: map[string]string{"d.csv": "period,alive\n0,100\n1,90\n"}, env: map[string]string{"RETSIM_SEED": "-1"}, want: "env:RETSIM_SEED: seed: must be >= 0, got -1"},

	// Data files for fit.
	{name: "fit rising counts", args: []string{"fit", "{dir}/d.csv"}, files: map[string]string{"d.csv": "period,alive\n0,100\n1,120\n"}, want: "d.csv:3:"},
	{name: "fit not a number", args: []string{"fit", "{dir}/d.csv"}, files: map[string]string{"d.csv": "period,alive\n0,100\n1,many\n"}, want: "d.csv:3:"},
	{name: "fit empty file", args: []string{"fit", "{dir}/d.csv"}, files: map[string]string{"d.csv": ""}, want: "d.csv"},
	{name: "fit missing column", args: []string{"fit", "{dir}/d.csv"}, files: map[string]string{"d.csv": "period,count\n0,100\n"}, want: "d.csv:1:"},
	{name: "fit negative count", args: []string{"fit", "{dir}/d.csv"}, files: map[string]string{"d.csv": "period,alive\n0,-100\n"}, want: "d.csv:2:"},
	{name: "fit directory", args: []string{"fit", "{dir}/d.csv"}, files: map[string]string{"d.csv/": ""}, want: "d.csv"},
	{name: "fit missing file", args: []string{"fit", "{dir}/none.csv"}, want: "none.csv"},
}

// aliasBomb is a YAML document whose aliases expand to 9^8 nodes.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("a: &a [x, x, x, x, x, x, x, x, x]\n")
	prev := "a"
	for _, n := range "bcdefgh" {
		b.WriteString(string(n) + ": &" + string(n) + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+", ", 9), ", ") + "]\n")
		prev = string(n)
	}
	return b.String()
}

// Every bad input: exit status 2, one line naming the file or key at fault
// and what is allowed, no panic, and the output directory untouched.
func TestBadInputTable(t *testing.T) {
	if len(badCases) < 40 {
		t.Fatalf("%d cases, the table promises at least 40", len(badCases))
	}
	for _, tc := range badCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tc.files {
				p := filepath.Join(dir, name)
				var err error
				if strings.HasSuffix(name, "/") {
					err = os.MkdirAll(p, 0o755)
				} else {
					err = os.WriteFile(p, []byte(text), 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			out := filepath.Join(dir, "out")
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			sentinel := filepath.Join(out, "metrics.csv")
			if err := os.WriteFile(sentinel, []byte("previous"), 0o644); err != nil {
				t.Fatal(err)
			}
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.ReplaceAll(a, "{dir}", dir)
			}
			if args[0] != "validate" && args[0] != "params" { // a case's own --out, given later, wins
				args = append([]string{args[0], "--out", out}, args[1:]...)
			}
			code, _, stderr := cli(t, args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr %q", code, exitUsage, stderr)
			}
			msg := strings.TrimSpace(stderr[strings.LastIndex(strings.TrimSpace(stderr), "\n")+1:])
			if !strings.HasPrefix(msg, "retsim: ") || !strings.Contains(msg, tc.want) {
				t.Errorf("error line %q: want it to contain %q", msg, tc.want)
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
				t.Errorf("panic: %s", stderr)
			}
			entries, _ := os.ReadDir(out)
			if b, _ := os.ReadFile(sentinel); len(entries) != 1 || string(b) != "previous" {
				t.Errorf("output directory changed: %d entries, metrics.csv %.20q", len(entries), b)
			}
		})
	}
}
