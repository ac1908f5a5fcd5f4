package scenarios_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/retsim/retsim/scenarios"
	"github.com/retsim/retsim/sim"
)

// twoSegments is a valid segments list in YAML.
const twoSegments = `segments:
  - name: loyal
    share: 0.6
    churn: {alpha: 0.8, beta: 40}
    fit: 1.5
    cac: 1.3
  - name: bargain
    share: 0.4
    churn.alpha: 0.8
    churn.beta: 12
    price_sensitivity: 1.5
`

// TestSegmentsLoad reads segments in YAML, TOML and JSON, nested and
// dotted, with targeting from a child file that extends them; segments not
// targeted keep weight 1 and unset multipliers their defaults.
func TestSegmentsLoad(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"market.yaml": "extends: baseline\n" + twoSegments,
		"aim.yaml":    "extends: market.yaml\ntargeting:\n  loyal: 3\n",
		"market.toml": "extends = \"baseline\"\n[[segments]]\nname = \"loyal\"\nshare = 0.6\nfit = 1.5\ncac = 1.3\n[segments.churn]\nalpha = 0.8\nbeta = 40\n" +
			"[[segments]]\nname = \"bargain\"\nshare = 0.4\nprice_sensitivity = 1.5\n\"churn.alpha\" = 0.8\n\"churn.beta\" = 12\n[targeting]\nloyal = 3\n",
		"market.json": `{"extends": "baseline", "targeting": {"loyal": 3}, "segments": [` +
			`{"name": "loyal", "share": 0.6, "churn": {"alpha": 0.8, "beta": 40}, "fit": 1.5, "cac": 1.3},` +
			`{"name": "bargain", "share": 0.4, "churn": {"alpha": 0.8, "beta": 12}, "price_sensitivity": 1.5}]}`,
	})
	loyal, bargain := sim.NewSegment("loyal"), sim.NewSegment("bargain")
	loyal.Share, loyal.Churn, loyal.Fit, loyal.CAC, loyal.Target = 0.6, sim.SegmentChurn{Alpha: 0.8, Beta: 40}, 1.5, 1.3, 3
	bargain.Share, bargain.Churn, bargain.PriceSensitivity = 0.4, sim.SegmentChurn{Alpha: 0.8, Beta: 12}, 1.5
	for _, name := range []string{"aim.yaml", "market.toml", "market.json"} {
		s, err := scenarios.Load(filepath.Join(dir, name), scenarios.Sources{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := s.Config.Segments; len(got) != 2 || got[0] != loyal || got[1] != bargain {
			t.Errorf("%s: segments %+v, want %+v and %+v", name, got, loyal, bargain)
		}
	}
	s, err := scenarios.Load(filepath.Join(dir, "aim.yaml"), scenarios.Sources{})
	if err != nil {
		t.Fatal(err)
	}
	if s.SegmentsFile != filepath.Join(dir, "market.yaml") || s.TargetingFile != filepath.Join(dir, "aim.yaml") {
		t.Errorf("segments from %q, targeting from %q", s.SegmentsFile, s.TargetingFile)
	}
	base, err := scenarios.Load("baseline", scenarios.Sources{})
	if err != nil {
		t.Fatal(err)
	}
	if base.Config.Segments != nil || base.Config.Hash() == s.Config.Hash() {
		t.Errorf("baseline has segments %v, or its hash equals one with segments", base.Config.Segments)
	}
}

// TestBadSegments: each bad definition is a one-line error naming the file
// and the key.
func TestBadSegments(t *testing.T) {
	for _, tc := range []struct {
		name, file, want string
	}{
		{"shares not summing to one", strings.Replace(twoSegments, "share: 0.4", "share: 0.3", 1), "market.yaml: segments: shares must sum to 1, got 0.9"},
		{"no churn", strings.Replace(twoSegments, "    churn: {alpha: 0.8, beta: 40}\n", "", 1), "market.yaml: segments.loyal.churn.alpha: missing; every segment gives name, share, churn.alpha and churn.beta"},
		{"half a churn", strings.Replace(twoSegments, "    churn.beta: 12\n", "", 1), "market.yaml: segments.bargain.churn.beta: missing"},
		{"negative multiplier", strings.Replace(twoSegments, "fit: 1.5", "fit: -1", 1), "market.yaml: segments.loyal.fit: must be >= 0, got -1"},
		{"unknown key", strings.Replace(twoSegments, "fit: 1.5", "fitt: 1.5", 1), "market.yaml: segments.loyal.fitt: unknown key; did you mean fit?"},
		{"text for a number", strings.Replace(twoSegments, "fit: 1.5", "fit: high", 1), "market.yaml: segments.loyal.fit: must be a number, got text \"high\""},
		{"no name", strings.Replace(twoSegments, "name: bargain", "label: bargain", 1), "market.yaml: segments[2].name: every segment needs a name (text), got nothing"},
		{"a name twice", strings.Replace(twoSegments, "name: bargain", "name: loyal", 1), "market.yaml: segments.loyal: segment declared twice"},
		{"not a list", "segments: {loyal: 1}\n", "market.yaml: segments: must be a list of segments"},
		{"unknown segment in targeting", twoSegments + "targeting: {loyal: 2, premium: 1}\n", "market.yaml: targeting.premium: unknown segment; the segments are loyal, bargain"},
		{"negative weight", twoSegments + "targeting: {loyal: -2}\n", "market.yaml: targeting.loyal: must be a number >= 0, got -2"},
		{"targeting without segments", "targeting: {loyal: 2}\n", "market.yaml: targeting: no segments to target"},
		{"no weight anywhere", twoSegments + "targeting: {loyal: 0, bargain: 0}\n", "market.yaml: targeting: must give some segment a weight above 0"},
		{"churn uncertainty with segments", twoSegments + "churn: {alpha_sd: 0.1}\n", "market.yaml: churn.alpha_sd: must be 0 with churn.beta_sd when segments are declared"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"market.yaml": "extends: baseline\n" + tc.file})
			_, err := scenarios.Load(filepath.Join(dir, "market.yaml"), scenarios.Sources{})
			if err == nil {
				t.Fatal("loaded; want an error")
			}
			msg := strings.TrimPrefix(err.Error(), dir+string(filepath.Separator))
			if !strings.HasPrefix(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q, want one line starting %q", msg, tc.want)
			}
		})
	}
}

// TestSegmentErrorsNameTheirFile: a child file whose targeting breaks the
// segments it extends is named for the targeting; the segments' own file
// for the segments.
func TestSegmentErrorsNameTheirFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"market.yaml": "extends: baseline\n" + strings.Replace(twoSegments, "share: 0.4", "share: 0.3", 1),
		"child.yaml":  "extends: market.yaml\npolicy.giving: 1\n",
		"good.yaml":   "extends: baseline\n" + twoSegments,
		"aim.yaml":    "extends: good.yaml\ntargeting: {loyal: 0, bargain: 0}\n",
	})
	for _, tc := range []struct{ file, want string }{
		{"child.yaml", filepath.Join(dir, "market.yaml") + ": segments: shares must sum to 1"},
		{"aim.yaml", filepath.Join(dir, "aim.yaml") + ": targeting: must give some segment a weight above 0"},
	} {
		_, err := scenarios.Load(filepath.Join(dir, tc.file), scenarios.Sources{})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.file, err, tc.want)
		}
	}
}

// TestSegmentsNotFromSetOrEnv: segments are set in files only.
func TestSegmentsNotFromSetOrEnv(t *testing.T) {
	_, err := scenarios.Load("baseline", scenarios.Sources{Sets: []string{"segments.loyal.share=1"}})
	if err == nil || !strings.Contains(err.Error(), "segments and targeting are set in a scenario file only") {
		t.Errorf("error %v, want segments refused outside files", err)
	}
}
