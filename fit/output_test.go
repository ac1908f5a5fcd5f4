package fit

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/retsim/retsim/output"
)

const sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func TestEmitScenario(t *testing.T) {
	res := mustFit(t, survivalCSV(regular), Options{Train: 8})
	for _, tc := range []struct {
		name, base, dataName, wantExtends string
	}{
		{"default base", "", "regular.csv", DefaultBase},
		{"given base", "giving", "regular.csv", "giving"},
		{"hostile file name", "", "x.csv\nextends: taking\n# \"", DefaultBase},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res.Data = tc.dataName
			var b bytes.Buffer
			if err := EmitScenario(&b, res, Emit{Base: tc.base, DataSHA256: sha, DataDate: "2007-01-01"}); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Description string
				Extends     string
				Churn       map[string]any
			}
			if err := yaml.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatalf("not YAML: %v\n%s", err, b.String())
			}
			if doc.Extends != tc.wantExtends || !strings.Contains(doc.Description, tc.dataName) {
				t.Errorf("extends %q, description %q", doc.Extends, doc.Description)
			}
			if len(doc.Churn) != 2 {
				t.Errorf("churn keys %v, want alpha and beta only (the uncertainty keys commented out)", doc.Churn)
			}
			for key, want := range map[string]float64{"alpha": res.Alpha, "beta": res.Beta} {
				got, ok := doc.Churn[key].(float64)
				if !ok || math.Abs(got-want) > 1e-5*want {
					t.Errorf("churn.%s = %v, want %v", key, doc.Churn[key], want)
				}
			}
			for _, want := range []string{
				"# data SHA-256:      " + sha + "\n",
				"# data date:         \"2007-01-01\"\n",
				"# log-likelihood:    -1680.2652 (training periods)\n",
				"# training periods:  0-7 of 0-12 (periods 8-12 held out)\n",
				"  # alpha_sd: 0.0655",
				"  # beta_sd: 0.152",
				"  # alpha_beta_corr: 0.88",
			} {
				if !strings.Contains(b.String(), want) {
					t.Errorf("scenario lacks %q:\n%s", want, b.String())
				}
			}
		})
	}
	for _, bad := range []string{"", "abc", strings.Repeat("g", 64), sha[:62]} {
		if err := EmitScenario(&bytes.Buffer{}, res, Emit{DataSHA256: bad}); err == nil {
			t.Errorf("SHA-256 %q accepted", bad)
		}
	}
}

func TestPlot(t *testing.T) {
	for _, opt := range []Options{{Train: 8, Project: 12}, {}} {
		res := mustFit(t, survivalCSV(regular), opt)
		dir := t.TempDir()
		files, err := res.Charts()
		if err != nil {
			t.Fatal(err)
		}
		paths, err := output.WriteAll(dir, files)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{dir + "/fit_survival.png", dir + "/fit_survival.svg"}
		if strings.Join(paths, " ") != strings.Join(want, " ") {
			t.Fatalf("wrote %v, want %v", paths, want)
		}
		f, err := os.Open(paths[0])
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 800 {
			t.Errorf("PNG is %v, want 1200 x 800 as every chart", b)
		}
		svg, err := os.ReadFile(paths[1])
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"<svg", "share of customers still active", "Retention rate", "period since acquisition", "font-family:Liberation Sans"} {
			if !bytes.Contains(svg, []byte(want)) {
				t.Errorf("SVG lacks %q", want)
			}
		}
		if held := bytes.Contains(svg, []byte("end of training (period 7)")); held != (opt.Train == 8) {
			t.Errorf("training boundary shown: %v, with train %d", held, opt.Train)
		}
	}
	if _, err := (&Result{}).Charts(); err == nil {
		t.Error("empty result plotted")
	}
}
