package scenarios_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// writeFiles writes each file into dir; a name ending in "/" is made a
// directory.
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		var err error
		if strings.HasSuffix(name, "/") {
			err = os.MkdirAll(p, 0o755)
		} else if err = os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
			err = os.WriteFile(p, []byte(text), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestPrecedence sets six parameters so that each layer overrides the one
// below it for one more parameter: default, parent file, file, environment,
// --set, flag.
func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"parent.yaml": "description: parent\npricing:\n  unit_cost: 1\nmarket:\n  cac: 1\nincidents:\n  fix_cost: 1\ngenerosity:\n  gesture_cost: 1\ntaking:\n  fix_fee: 1\n",
		"child.yaml":  "description: child\nextends: parent.yaml\nmarket.cac: 2\nincidents.fix_cost: 2\ngenerosity.gesture_cost: 2\ntaking.fix_fee: 2\n",
	})
	parent, child := filepath.Join(dir, "parent.yaml"), filepath.Join(dir, "child.yaml")
	s, err := scenarios.Load(child, scenarios.Sources{
		Env:   []string{"HOME=/root", "RETSIM_INCIDENTS_FIX_COST=3", "RETSIM_GENEROSITY_GESTURE_COST=3", "RETSIM_TAKING_FIX_FEE=3"},
		Sets:  []string{"generosity.gesture_cost=4", "taking.fix_fee=4"},
		Flags: map[string]string{"taking.fix_fee": "5"},
	})
	if err != nil {
		t.Fatal(err)
	}
	listPrice, _ := sim.Lookup("pricing.list_price")
	tests := []struct {
		key    string
		want   float64
		origin string
	}{
		{"pricing.list_price", listPrice.Default, "default"},
		{"pricing.unit_cost", 1, "file:" + parent},
		{"market.cac", 2, "file:" + child},
		{"incidents.fix_cost", 3, "env:RETSIM_INCIDENTS_FIX_COST"},
		{"generosity.gesture_cost", 4, "set:generosity.gesture_cost=4"},
		{"taking.fix_fee", 5, "flag:taking.fix_fee"},
	}
	values := s.Config.Values()
	for _, tt := range tests {
		if got := values[tt.key]; got != tt.want {
			t.Errorf("%s = %v, want %v", tt.key, got, tt.want)
		}
		if got := s.Origins[tt.key].String(); got != tt.origin {
			t.Errorf("%s origin = %s, want %s", tt.key, got, tt.origin)
		}
	}
	if s.Name != "child" || s.Description != "child" || s.Extends != "parent.yaml" ||
		strings.Join(s.Chain, " ") != child+" "+parent {
		t.Errorf("Name %q, Description %q, Extends %q, Chain %v", s.Name, s.Description, s.Extends, s.Chain)
	}
	if len(s.Origins) != len(sim.Params) {
		t.Errorf("%d origins for %d parameters", len(s.Origins), len(sim.Params))
	}
}

func TestLaterSetWins(t *testing.T) {
	s, err := scenarios.Load("baseline", scenarios.Sources{Sets: []string{"market.cac=1", " market.cac = 2 "}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Config.Market.CAC != 2 || s.Origins["market.cac"].Detail != " market.cac = 2 " {
		t.Errorf("market.cac = %v from %v, want 2 from the second --set", s.Config.Market.CAC, s.Origins["market.cac"])
	}
}

func TestEnvironmentLeavesOtherVariables(t *testing.T) {
	s, err := scenarios.Load("baseline", scenarios.Sources{
		Env: []string{"PATH=/bin", "RETSIM_WORKERS=8", "RETSIM_OUT=results", "retsim_seed=5", "RETSIM", "RETSIM_SEED=9"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.Config.Seed != 9 {
		t.Errorf("seed = %d, want 9 from RETSIM_SEED", s.Config.Seed)
	}
}

func TestFileExtendsBuiltin(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"mine.yml": "extends: taking\npolicy:\n  human_share: 0.3\nchurn:\n  # alpha: 1 (a section with every value commented out)\n"})
	s, err := scenarios.Load(filepath.Join(dir, "mine.yml"), scenarios.Sources{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"policy.human_share": "file:" + filepath.Join(dir, "mine.yml"),
		"policy.giving":      "file:builtin/taking.yaml",
		"market.potential":   "file:builtin/baseline.yaml",
	}
	for key, origin := range want {
		if got := s.Origins[key].String(); got != origin {
			t.Errorf("%s from %s, want %s", key, got, origin)
		}
	}
	if s.Config.Policy.HumanShare != 0.3 || s.Config.Policy.Giving != 0 {
		t.Errorf("human_share %v, giving %v", s.Config.Policy.HumanShare, s.Config.Policy.Giving)
	}
}

// TestFormatsAgree loads one scenario written in YAML, TOML and JSON, each
// extending a YAML file in a subdirectory.
func TestFormatsAgree(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"base/":          "",
		"base/base.yaml": "extends: baseline\nhorizon.periods: 24\n",
		"s.yaml":         "extends: base/base.yaml\nseed: 7\nchurn:\n  alpha: 0.5\n",
		"s.toml":         "extends = \"base/base.yaml\"\nseed = 7\n[churn]\nalpha = 0.5\n",
		"s.json":         `{"extends": "base/base.yaml", "seed": 7, "churn.alpha": 0.5}`,
	})
	var hashes []string
	for _, name := range []string{"s.yaml", "s.toml", "s.json"} {
		s, err := scenarios.Load(filepath.Join(dir, name), scenarios.Sources{})
		if err != nil {
			t.Fatal(err)
		}
		if s.Config.Seed != 7 || s.Config.Churn.Alpha != 0.5 || s.Config.Horizon.Periods != 24 {
			t.Errorf("%s: seed %d, churn.alpha %v, horizon.periods %d", name, s.Config.Seed, s.Config.Churn.Alpha, s.Config.Horizon.Periods)
		}
		hashes = append(hashes, s.Config.Hash())
	}
	if hashes[0] != hashes[1] || hashes[0] != hashes[2] {
		t.Errorf("formats disagree: %v", hashes)
	}
}

func TestErrorLine(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFiles(t, ".", map[string]string{"my.yaml": "churn:\n  alpha: -1\n"})
	err := scenarios.Validate("my.yaml")
	if want := "my.yaml: churn.alpha: must be > 0, got -1"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

type badCase struct {
	name  string
	files map[string]string // written into a temporary directory
	ref   string            // joined to the directory if it has an extension
	src   scenarios.Sources
	file  string // wanted Error.File, after the directory
	key   string // wanted Error.Key
	msg   string // wanted in Error.Msg
}

// inFile is a case of a single file, bad.yaml, with the given text.
func inFile(name, text, key, msg string) badCase {
	return inNamed(name, "bad.yaml", text, key, msg)
}

// inNamed is a case of a single file with the given name and text.
func inNamed(name, file, text, key, msg string) badCase {
	return badCase{name: name, files: map[string]string{file: text}, ref: file, file: file, key: key, msg: msg}
}

// onBaseline is a case of baseline with the sources src.
func onBaseline(name string, src scenarios.Sources, file, key, msg string) badCase {
	return badCase{name: name, ref: "baseline", src: src, file: file, key: key, msg: msg}
}

var badCases = []badCase{
	inFile("text for a number", "churn:\n  alpha: abc\n", "churn.alpha", `must be a number, got text "abc"`),
	inFile("quoted number", "churn:\n  alpha: \"1\"\n", "churn.alpha", `must be a number, got text "1"`),
	inFile("boolean for a number", "churn.alpha: true\n", "churn.alpha", "must be a number, got true"),
	inFile("null for a number", "churn.alpha:\n", "churn.alpha", "must be a number, got nothing"),
	inFile("list for a number", "churn.alpha: [1, 2]\n", "churn.alpha", "must be a number, got a list"),
	inFile("section for a number", "churn:\n  alpha:\n    x: 1\n", "churn.alpha", "must be a number, got a section"),
	inFile("number for a section", "churn: 5\n", "churn", "is a section of parameters such as churn.alpha, got 5"),
	inFile("out of range", "churn:\n  alpha: -1\n", "churn.alpha", "must be > 0, got -1"),
	inFile("zero where above zero", "churn.beta: 0\n", "churn.beta", "must be > 0, got 0"),
	inFile("probability 1.5", "policy.giving: 1.5\n", "policy.giving", "must be in [0, 1], got 1.5"),
	inFile("whole number given 2.5", "horizon.periods: 2.5\n", "horizon.periods", "must be a whole number, got 2.5"),
	inFile("fractional seed", "seed: 1.5\n", "seed", "must be a whole number, got 1.5"),
	inFile("negative count", "population.initial: -5\n", "population.initial", "must be >= 0, got -5"),
	inFile("whole number too large", "population.initial: 99999999999999999999\n", "population.initial", "must be at most 1e+09"),
	inFile("NaN", "churn.beta: .nan\n", "churn.beta", "must be a finite number, got NaN"),
	inFile(".inf", "market.cac: .inf\n", "market.cac", "must be a finite number, got +Inf"),
	inFile("-.inf", "goodwill.initial: -.inf\n", "goodwill.initial", "must be a finite number, got -Inf"),
	inFile("number beyond float64", "market.cac: 1e400\n", "market.cac", "must be a finite number (at most about 1.8e308 in size), got 1e400"),
	inFile("number beyond float64 in a section", "churn:\n  alpha: 1e309\n", "churn.alpha", "must be a finite number (at most about 1.8e308 in size), got 1e309"),
	inFile("quoted number beyond float64", "churn:\n  alpha: \"1e309\"\n", "churn.alpha", `must be a number, got text "1e309"`),
	inFile("misspelt key", "churn:\n  alhpa: 1\n", "churn.alhpa", "unknown key; did you mean churn.alpha?"),
	inFile("misspelt section", "chrun:\n  alpha: 1\n", "chrun.alpha", "did you mean churn.alpha?"),
	inFile("wrong case", "Churn:\n  Alpha: 1\n", "Churn.Alpha", "did you mean churn.alpha?"),
	inFile("key without its section", "alpha: 1\n", "alpha", "did you mean churn.alpha?"),
	inFile("misspelt description", "descripton: x\n", "descripton", "did you mean description?"),
	inFile("unknown key", "zzz_qqq: 1\n", "zzz_qqq", "unknown key"),
	inFile("empty unknown section", "chrun: {}\n", "chrun", "unknown key"),
	inFile("key given nested and dotted", "churn:\n  alpha: 1\nchurn.alpha: 2\n", "churn.alpha", "given twice"),
	inFile("duplicate YAML key", "seed: 1\nseed: 2\n", "", `mapping key "seed" already defined`),
	inFile("empty file", "", "", "empty"),
	inFile("only comments", "# nothing here\n", "", "empty"),
	inFile("not YAML", "{{{\n", "", "cannot parse as YAML"),
	inFile("plain text", "hello world\n", "", "cannot parse as YAML"),
	inFile("YAML list", "- 1\n- 2\n", "", "cannot parse as YAML"),
	inFile("binary garbage", "\x00\x01\xfe\xff\x89PNG\r\n\x1a", "", "cannot parse as YAML"),
	inFile("description not text", "description: 5\n", "description", "must be text, got 5"),
	inFile("extends not text", "extends: [a]\n", "extends", "must be text, got a list"),
	inFile("extends nothing", "extends: \"\"\n", "extends", "must name a built-in scenario or a file"),
	inFile("missing parent file", "extends: nothere.yaml\n", "extends", `nothere.yaml": no such file`),
	inFile("unknown parent built-in", "extends: baselin\n", "extends", "unknown built-in scenario; did you mean baseline?"),
	inFile("extends itself", "extends: bad.yaml\n", "extends", "cycle"),
	inFile("relation between parameters", "discounts.months: 13\n", "discounts.months", "must be <= horizon.periods_per_year (12), got 13"),
	inFile("relation broken by a default", "horizon.periods: 2\n", "horizon.periods", "conflicts with discounts.months (default): discounts.months must be <= horizon.periods (2), got 3"),
	inNamed("bad TOML", "bad.toml", "[churn\nalpha = 1\n", "", "cannot parse as TOML"),
	inNamed("duplicate TOML key", "bad.toml", "seed = 1\nseed = 2\n", "", "cannot parse as TOML"),
	inNamed("TOML text for a number", "bad.toml", "[churn]\nalpha = \"0.5\"\n", "churn.alpha", `must be a number, got text "0.5"`),
	inNamed("TOML nan", "bad.toml", "[churn]\nalpha = nan\n", "churn.alpha", "must be a finite number"),
	inNamed("TOML date for a number", "bad.toml", "seed = 1979-05-27\n", "seed", "must be a number, got 1979-05-27"),
	inNamed("bad JSON", "bad.json", `{"churn": `, "", "cannot parse as JSON"),
	inNamed("JSON text for a number", "bad.json", `{"churn": {"alpha": "0.5"}}`, "churn.alpha", `must be a number, got text "0.5"`),
	inNamed("JSON number beyond float64", "bad.json", `{"market.cac": 1e400}`, "market.cac", "must be a finite number (at most about 1.8e308 in size), got 1e400"),
	inFile("second YAML document", "churn.alpha: 0.5\n---\nchurn.zzz: -1\n", "", "line 2: a second YAML document starts here; a scenario file holds one"),
	inFile("second YAML document broken", "churn.alpha: 0.5\n---\n{{{\n", "", "a second YAML document follows the first"),
	inFile("YAML section as a key", "{0: {{}}}\n", "", "a key must be a name, not a section or a list"),
	inFile("YAML 1.3", "%YAML 1.3\n---\nseed: 1\n", "", "cannot parse as YAML"),
	inFile("YAML list at top level", "- seed: 1\n", "", "line 1: the top level must be keys with values (key: value), got a list"),
	inNamed("TOML number beyond float64", "bad.toml", "[churn]\nalpha = 1e309\n", "churn.alpha", "line 2: must be a finite number (at most about 1.8e308 in size), got 1e309"),
	inNamed("TOML number beyond float64, dotted", "bad.toml", "seed = 1\n churn.alpha = 1e309 # comment\n", "churn.alpha", "line 2: must be a finite number"),
	inNamed("TOML integer beyond 64 bits", "bad.toml", "seed = 18446744073709551615\n", "seed", "line 1: an integer in TOML must be from -9223372036854775808 to 9223372036854775807, got 18446744073709551615"),
	inNamed("TOML number beyond float64 in an inline table", "bad.toml", "churn = {alpha = 1e309}\n", "", "line 1, column 18: must be a finite number"),
	inNamed("JSON list at top level", "bad.json", `[1, 2]`, "", "the top level must be an object ({\"key\": value, ...}), got a list"),
	inNamed("JSON text at top level", "bad.json", `"seed"`, "", `the top level must be an object ({"key": value, ...}), got text "seed"`),
	inNamed("second JSON value", "bad.json", "{\"seed\": 1}\n{\"seed\": \"x\"}", "", "line 2, column 1: more after the end of the first JSON value"),
	inNamed("JSON syntax", "bad.json", "{\n\"seed\": 1,\n}", "", "cannot parse as JSON: line 3, column 1: invalid character '}' looking for beginning of object key string"),
	inNamed("JSON cut short", "bad.json", `{"seed": 1`, "", "cannot parse as JSON: the text ends before the JSON is complete"),
	inNamed("unsupported extension", "bad.txt", "seed: 1\n", "", "unsupported file type"),
	{name: "cycle", files: map[string]string{"a.yaml": "extends: b.yaml\n", "b.yaml": "extends: a.yaml\n"}, ref: "a.yaml", file: "b.yaml", key: "extends", msg: "a.yaml -> "},
	{name: "missing file", ref: "nothere.yaml", file: "nothere.yaml", msg: "no such file"},
	{name: "directory", files: map[string]string{"sub.yaml/": ""}, ref: "sub.yaml", file: "sub.yaml", msg: "is a directory"},
	{name: "unknown built-in", ref: "takin", file: "takin", msg: "unknown built-in scenario; did you mean taking?"},
	{name: "no scenario", ref: "", msg: "no scenario named"},
	onBaseline("--set without =", scenarios.Sources{Sets: []string{"churn.alpha"}}, "set:churn.alpha", "", "expected key=value"),
	onBaseline("--set without key", scenarios.Sources{Sets: []string{"=1"}}, "set:=1", "", "expected key=value"),
	onBaseline("--set unknown key", scenarios.Sources{Sets: []string{"churn.alhpa=1"}}, "set:churn.alhpa=1", "churn.alhpa", "did you mean churn.alpha?"),
	onBaseline("--set NaN", scenarios.Sources{Sets: []string{"churn.alpha=NaN"}}, "set:churn.alpha=NaN", "churn.alpha", "must be a finite number, got NaN"),
	onBaseline("--set infinity", scenarios.Sources{Sets: []string{"market.cac=+Inf"}}, "set:market.cac=+Inf", "market.cac", "must be a finite number"),
	onBaseline("--set beyond float64", scenarios.Sources{Sets: []string{"market.cac=1e999"}}, "set:market.cac=1e999", "market.cac", "must be a finite number (at most about 1.8e308 in size), got 1e999"),
	onBaseline("--set text", scenarios.Sources{Sets: []string{"churn.alpha=abc"}}, "set:churn.alpha=abc", "churn.alpha", `must be a number, got "abc"`),
	onBaseline("--set out of range", scenarios.Sources{Sets: []string{"policy.giving=2"}}, "set:policy.giving=2", "policy.giving", "must be in [0, 1], got 2"),
	onBaseline("--set fraction for a whole number", scenarios.Sources{Sets: []string{"replications=2.5"}}, "set:replications=2.5", "replications", "must be a whole number, got 2.5"),
	onBaseline("--set breaks a relation with a file's value", scenarios.Sources{Sets: []string{"service.human_cost_basic=50"}}, "set:service.human_cost_basic=50", "service.human_cost_basic",
		"conflicts with service.human_cost_skilled (default): service.human_cost_skilled must be >= service.human_cost_basic (50), got 10"),
	onBaseline("env breaks a relation with --set", scenarios.Sources{Env: []string{"RETSIM_HORIZON_PERIODS=2"}, Sets: []string{"discounts.months=1", "discounts.months=3"}}, "set:discounts.months=3", "discounts.months", "must be <= horizon.periods (2), got 3"),
	onBaseline("flag breaks a relation with env", scenarios.Sources{Env: []string{"RETSIM_DISCOUNTS_MONTHS=3"}, Flags: map[string]string{"horizon.periods": "2"}}, "flag:horizon.periods", "horizon.periods", "conflicts with discounts.months (env:RETSIM_DISCOUNTS_MONTHS)"),
	onBaseline("--set seed beyond 64 bits", scenarios.Sources{Sets: []string{"seed=18446744073709551616"}}, "set:seed=18446744073709551616", "seed", "must be a whole number from 0 to 18446744073709551615, got 18446744073709551616"),
	onBaseline("--set replications beyond 64 bits", scenarios.Sources{Sets: []string{"replications=9223372036854775808"}}, "set:replications=9223372036854775808", "replications", "must be at most 1e+07, got 9223372036854775808"),
	onBaseline("--set huge text", scenarios.Sources{Sets: []string{"seed=" + strings.Repeat("9", 100)}}, "set:seed="+strings.Repeat("9", 59)+"...", "seed", "must be a whole number from 0 to 18446744073709551615, got "+strings.Repeat("9", 100)),
	onBaseline("env text", scenarios.Sources{Env: []string{"RETSIM_CHURN_ALPHA=abc"}}, "env:RETSIM_CHURN_ALPHA", "churn.alpha", `must be a number, got "abc"`),
	onBaseline("env empty", scenarios.Sources{Env: []string{"RETSIM_SEED="}}, "env:RETSIM_SEED", "seed", `must be a number, got ""`),
	onBaseline("env out of range", scenarios.Sources{Env: []string{"RETSIM_POLICY_GIVING=-0.5"}}, "env:RETSIM_POLICY_GIVING", "policy.giving", "must be in [0, 1], got -0.5"),
	onBaseline("env misspelt", scenarios.Sources{Env: []string{"RETSIM_CHURN_ALHPA=1"}}, "env:RETSIM_CHURN_ALHPA", "", "did you mean RETSIM_CHURN_ALPHA?"),
	onBaseline("env unknown in a section", scenarios.Sources{Env: []string{"RETSIM_CHURN_ZZZ=1"}}, "env:RETSIM_CHURN_ZZZ", "", "unknown parameter variable"),
	onBaseline("env near miss", scenarios.Sources{Env: []string{"RETSIM_SEEDS=1"}}, "env:RETSIM_SEEDS", "", "did you mean RETSIM_SEED?"),
	onBaseline("flag unknown key", scenarios.Sources{Flags: map[string]string{"sed": "1"}}, "flag:sed", "sed", "did you mean seed?"),
	onBaseline("flag out of range", scenarios.Sources{Flags: map[string]string{"replications": "0"}}, "flag:replications", "replications", "must be >= 1, got 0"),
	onBaseline("flag negative seed", scenarios.Sources{Flags: map[string]string{"seed": "-1"}}, "flag:seed", "seed", "must be >= 0, got -1"),
}

func TestBadInputs(t *testing.T) {
	for _, c := range badCases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, c.files)
			ref, file := c.ref, c.file
			if filepath.Ext(ref) != "" {
				ref, file = filepath.Join(dir, ref), filepath.Join(dir, file)
			}
			s, err := scenarios.Load(ref, c.src)
			var e *scenarios.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v (%T), scenario %v; want a *scenarios.Error", err, err, s)
			}
			if e.File != file || e.Key != c.key || !strings.Contains(e.Msg, c.msg) {
				t.Errorf("got File %q, Key %q, Msg %q;\nwant File %q, Key %q, Msg containing %q", e.File, e.Key, e.Msg, file, c.key, c.msg)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestShow(t *testing.T) {
	s, err := scenarios.Load("taking", scenarios.Sources{Sets: []string{"seed=7"}})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := s.Show(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != len(sim.Params) {
		t.Fatalf("%d lines for %d parameters", len(lines), len(sim.Params))
	}
	want := map[string]string{
		"seed":          "seed 7 set:seed=7",
		"policy.giving": "policy.giving 0 file:builtin/taking.yaml",
		"market.cac":    "market.cac 150 file:builtin/baseline.yaml",
	}
	column := strings.LastIndex(lines[0], " ") + 1
	for i, line := range lines {
		fields := strings.Fields(line)
		if len(fields) != 3 || fields[0] != sim.Params[i].Key {
			t.Errorf("line %q: want key, value, origin of %s", line, sim.Params[i].Key)
			continue
		}
		if w, ok := want[fields[0]]; ok && strings.Join(fields, " ") != w {
			t.Errorf("line %q, want %q", line, w)
		}
		if strings.LastIndex(line, " ")+1 != column {
			t.Errorf("line %q: origin not aligned at column %d", line, column)
		}
	}
}

// FuzzLoadFile checks that no file content makes Load panic or return
// anything but a scenario or an *Error.
func FuzzLoadFile(f *testing.F) {
	for _, c := range badCases {
		for _, text := range c.files {
			f.Add(text)
		}
	}
	f.Add("extends: baseline\nchurn: {alpha: 0.5}\n")
	f.Add("a: &x [*x]\n")
	for _, text := range deepSeeds {
		f.Add(text)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, text string) {
		for _, ext := range []string{".yaml", ".toml", ".json"} {
			p := filepath.Join(dir, "f"+ext)
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := scenarios.Load(p, scenarios.Sources{})
			checkError(t, ext+": "+text, err)
		}
	})
}
