package scenarios

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/retsim/retsim/sim"
)

// Sources are the layers above the scenario file, lowest first.
type Sources struct {
	// Env is the environment as os.Environ gives it. Variables named
	// RETSIM_ and the key in capitals with dots as underscores set
	// parameters (RETSIM_CHURN_ALPHA=0.5); see the package documentation for
	// other RETSIM_ variables.
	Env []string
	// Sets are --set arguments, key=value, in the order given; later ones
	// win.
	Sets []string
	// Flags maps parameter keys to the values of command-line flags given
	// explicitly, e.g. "seed": "7"; they win over everything else.
	Flags map[string]string
}

// Layers, the values of Origin.Layer, lowest precedence first.
const (
	LayerDefault = "default" // sim.Params
	LayerFile    = "file"    // a scenario file or one it extends
	LayerEnv     = "env"     // a RETSIM_ environment variable
	LayerSet     = "set"     // a --set argument
	LayerChange  = "change"  // a change in the scenario reference, NAME+key=value (see ParseRef)
	LayerFlag    = "flag"    // a command-line flag
)

// Origin is where a parameter's final value came from.
type Origin struct {
	Layer string // one of the Layer constants
	// File is, for LayerFile, the file: a path as given or resolved from
	// extends, or builtin/NAME.yaml for a built-in scenario.
	File string
	// Detail is, for LayerEnv, the variable; for LayerSet and LayerChange,
	// the argument or change as given (key=value); for LayerFlag, the
	// parameter key.
	Detail string
}

// String is the layer followed by the file or detail, if any:
// "default", "file:builtin/baseline.yaml", "env:RETSIM_SEED",
// "set:seed=7", "flag:seed".
func (o Origin) String() string {
	switch {
	case o.File != "":
		return o.Layer + ":" + o.File
	case o.Detail != "":
		return o.Layer + ":" + o.Detail
	}
	return o.Layer
}

// where names the origin in an Error: the file itself for a file, else the
// whole origin, its detail cut short if long.
func (o Origin) where() string {
	if o.Layer == LayerFile {
		return o.File
	}
	o.Detail = shorten(o.Detail)
	return o.String()
}

// Scenario is a loaded, validated scenario.
type Scenario struct {
	// Name is the built-in name, or the file's base name without extension,
	// followed by the changes of the reference, if any
	// ("baseline+policy.giving=1").
	Name string
	// Description and Extends are as written in the scenario's own file
	// (not inherited); Description is empty if the file has none.
	Description string
	Extends     string
	// Chain lists the files read, the scenario's own first, then each
	// file it extends, named as in Origin.File.
	Chain []string
	// Config is the final configuration; it passed sim.Config.Validate.
	Config sim.Config
	// Origins holds, for every key in sim.Params, where its value came
	// from.
	Origins map[string]Origin
	// SegmentsFile and TargetingFile name the files that gave the
	// segments and the targeting weights (M13), empty when none did.
	SegmentsFile, TargetingFile string
}

// Load reads the scenario ref, a built-in name or a path to a .yaml, .yml,
// .toml or .json file, optionally followed by changes
// (NAME_OR_FILE+key=value[+key=value...], see ParseRef), with the files it
// extends, applies src and the changes above it, and validates the result.
// The scenario is named with its changes ("baseline+policy.giving=1").
// Every error is an *Error.
func Load(ref string, src Sources) (*Scenario, error) {
	return LoadContext(context.Background(), ref, src)
}

// LoadContext is Load that stops reading files when ctx is cancelled.
// Files must be regular files (not named pipes, devices or directories) of
// at most 1 MiB, YAML files hold one document, and the nesting and keys of
// every file are bounded (see the package documentation).
func LoadContext(ctx context.Context, ref string, src Sources) (*Scenario, error) {
	r := ParseRef(ref)
	chain, err := resolve(ctx, r.Scenario)
	var e *Error
	if errors.As(err, &e) && e.File == ref && len(r.Changes) == 0 && strings.Contains(ref, ChangeSep) {
		e.Msg += "; a change after " + ChangeSep + " is key=value, e.g. baseline" + ChangeSep + "policy.giving=1"
	}
	if err != nil {
		return nil, err
	}
	var settings []setting
	for i := len(chain) - 1; i >= 0; i-- {
		settings = append(settings, chain[i].settings...)
	}
	above, err := src.settings(r.Changes)
	if err != nil {
		return nil, err
	}
	settings = append(settings, above...)
	s := &Scenario{Name: r.label(chain[0].name), Description: chain[0].description, Extends: chain[0].extends}
	for _, d := range chain {
		s.Chain = append(s.Chain, d.path)
	}
	segs, err := segmentsOf(chain)
	if err != nil {
		return nil, err
	}
	s.Config, s.Origins, err = apply(chain[0].path, settings, segs)
	if err != nil {
		return nil, err
	}
	s.SegmentsFile, s.TargetingFile = segs.segmentsFile, segs.targetingFile
	s.Config.Uncertain = mergeUncertain(chain, above)
	return s, nil
}

// Validate loads the scenario at path (or a built-in name) with no
// environment, --set or flags, and returns the first problem as an *Error.
func Validate(path string) error {
	_, err := Load(path, Sources{})
	return err
}

// Info describes a built-in scenario.
type Info struct {
	Name        string // as given to Load, e.g. "taking"
	Extends     string // the built-in it extends; empty for baseline and neutral
	Description string
}

// List describes the built-in scenarios, sorted by name.
func List() []Info {
	var list []Info
	for _, name := range builtinNames() {
		chain, err := resolve(context.Background(), name)
		if err != nil {
			panic(err) // a broken built-in file: a programming error caught by tests
		}
		list = append(list, Info{Name: name, Extends: chain[0].extends, Description: chain[0].description})
	}
	return list
}

// Show writes one line per parameter, in the order of sim.Params: key,
// final value and origin, aligned in columns, as git config --show-origin
// does; then, if the scenario declares segments, one line per segment
// number (segments.NAME.KEY) and targeting weight (targeting.NAME).
func (s *Scenario) Show(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, p := range sim.Params {
		text, err := s.Config.Text(p.Key)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Key, text, s.Origins[p.Key])
	}
	for _, seg := range s.Config.Segments {
		for _, p := range sim.SegmentParams {
			x, _ := seg.Get(p.Key)
			fmt.Fprintf(tw, "%s.%s.%s\t%s\t%s\n", keySegments, seg.Name, p.Key, formatNumber(x), Origin{Layer: LayerFile, File: s.SegmentsFile})
		}
	}
	for _, seg := range s.Config.Segments {
		origin := Origin{Layer: LayerDefault}
		if s.TargetingFile != "" {
			origin = Origin{Layer: LayerFile, File: s.TargetingFile}
		}
		fmt.Fprintf(tw, "%s.%s\t%s\t%s\n", keyTargeting, seg.Name, formatNumber(seg.Target), origin)
	}
	for _, u := range s.Config.Uncertain {
		fmt.Fprintf(tw, "%s.%s\t%s\t%s\n", keyUncertain, u.Key, u.Dist, "central value "+formatNumber(u.Dist.Central()))
	}
	return tw.Flush()
}

// formatNumber writes x in the shortest form that reads back exactly.
func formatNumber(x float64) string {
	return strconv.FormatFloat(x, 'g', -1, 64)
}
