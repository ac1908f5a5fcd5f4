package scenarios

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/retsim/retsim/sim"
)

// setting is one value given to one parameter by one layer.
type setting struct {
	key    string
	v      value
	origin Origin
}

// fail is an Error about s with the message msg.
func (s setting) fail(msg string) *Error {
	return &Error{File: s.origin.where(), Key: s.key, Msg: msg}
}

// apply starts from sim.Default and applies settings in order, each
// overriding the ones before, and takes segs's segments; it checks every
// value against its range as it goes, then the relations between parameters
// and the segments. A broken relation is blamed on the later setting of its
// two parameters, a segment's error on the file that declared the segments,
// and anything else on scenarioFile.
func apply(scenarioFile string, settings []setting, segs segmentLayer) (sim.Config, map[string]Origin, error) {
	cfg := sim.Default()
	origins := make(map[string]Origin, len(sim.Params))
	for _, p := range sim.Params {
		origins[p.Key] = Origin{Layer: LayerDefault}
	}
	rank := make(map[string]int, len(settings)) // 1 + the index of the setting that gave each key its value
	for i, s := range settings {
		if err := s.assign(&cfg); err != nil {
			return cfg, nil, err
		}
		origins[s.key], rank[s.key] = s.origin, i+1
	}
	cfg.Segments = segs.segments
	err := cfg.Validate()
	var pe *sim.ParamError
	switch {
	case err == nil:
		return cfg, origins, nil
	case !errors.As(err, &pe):
		return cfg, nil, &Error{File: scenarioFile, Msg: err.Error()}
	case pe.Other != "" && rank[pe.Other] > rank[pe.Key]:
		return cfg, nil, &Error{File: origins[pe.Other].where(), Key: pe.Other,
			Msg: fmt.Sprintf("conflicts with %s (%s): %s %s", pe.Key, origins[pe.Key], pe.Key, pe.Msg)}
	case rank[pe.Key] > 0:
		return cfg, nil, &Error{File: origins[pe.Key].where(), Key: pe.Key, Msg: pe.Msg}
	}
	if file, ok := segs.blame(pe.Key); ok {
		return cfg, nil, &Error{File: file, Key: pe.Key, Msg: pe.Msg}
	}
	return cfg, nil, &Error{File: scenarioFile, Key: pe.Key, Msg: pe.Msg}
}

// assign checks s against its parameter's range and sets it in cfg, an
// integer exactly.
func (s setting) assign(cfg *sim.Config) error {
	p, _ := sim.Lookup(s.key) // every setting's key was looked up when it was read
	if err := p.Check(s.v.x); err != nil {
		msg := message(err)
		if i := strings.LastIndex(msg, ", got "); i >= 0 && s.v.n != nil {
			msg = msg[:i] + ", got " + s.v.String() // a whole number as written, not its nearest float
		}
		return s.fail(msg)
	}
	var err error
	if p.Whole && s.v.n != nil {
		err = cfg.SetWhole(s.key, s.v.n)
	} else {
		err = cfg.Set(s.key, s.v.x)
	}
	if err != nil {
		return s.fail(message(err))
	}
	return nil
}

// FromEnv is sim.Default with the parameters set by the RETSIM_ variables
// of env, and the keys of those parameters, in the order of env. Each
// variable is read and checked as Load does (its name, a number, its range,
// an integer exactly); the relations between parameters are left to Load,
// as they depend on the scenario. Every error is an *Error.
func FromEnv(env []string) (sim.Config, []string, error) {
	cfg := sim.Default()
	settings, err := envSettings(env)
	if err != nil {
		return cfg, nil, err
	}
	keys := make([]string, len(settings))
	for i, s := range settings {
		if err := s.assign(&cfg); err != nil {
			return cfg, nil, err
		}
		keys[i] = s.key
	}
	return cfg, keys, nil
}

// message is what a *sim.ParamError says is allowed and was given, without
// its key; any other error whole.
func message(err error) string {
	var pe *sim.ParamError
	if errors.As(err, &pe) {
		return pe.Msg
	}
	return err.Error()
}

// parseSetting reads text, given to the parameter key by origin, as a
// number, an integer exactly.
func parseSetting(key, text string, origin Origin) (setting, error) {
	s := setting{key: key, origin: origin}
	if err := checkKey(key); err != nil {
		s.key = shorten(key)
		return s, s.fail(err.Error())
	}
	if first, _, _ := strings.Cut(key, "."); first == keySegments || first == keyTargeting {
		return s, s.fail("segments and targeting are set in a scenario file only; see docs/parameters.md")
	}
	if _, ok := sim.Lookup(key); !ok {
		return s, s.fail(unknownKey(key, paramKeys))
	}
	v, err := parseNumber(strings.TrimSpace(text))
	if err != nil {
		return s, s.fail(err.Error())
	}
	s.v = v // NaN and infinities are refused with the range, in apply
	return s, nil
}

// settings reads the layers of src, lowest first, with the changes of the
// scenario reference (see ParseRef) above --set and below the flags.
func (src Sources) settings(changes []string) ([]setting, error) {
	env, err := envSettings(src.Env)
	if err != nil {
		return nil, err
	}
	sets, err := setSettings(src.Sets)
	if err != nil {
		return nil, err
	}
	chs, err := changeSettings(changes)
	if err != nil {
		return nil, err
	}
	flags, err := flagSettings(src.Flags)
	if err != nil {
		return nil, err
	}
	return slices.Concat(env, sets, chs, flags), nil
}

// envSettings reads the RETSIM_ variables of env that name parameters, and
// refuses the ones that look like misspelt parameters.
func envSettings(env []string) ([]setting, error) {
	var out []setting
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, envPrefix) {
			continue
		}
		origin := Origin{Layer: LayerEnv, Detail: name}
		key, ok := envKeys[name]
		if !ok {
			if err := unknownEnv(name, origin); err != nil {
				return nil, err
			}
			continue
		}
		s, err := parseSetting(key, value, origin)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// unknownEnv is an error for the unknown variable name if it looks like a
// parameter's: it starts with a section (RETSIM_CHURN_...) or is a near miss
// of a parameter's variable. Other variables are not this package's.
func unknownEnv(name string, origin Origin) error {
	stem := strings.ToLower(strings.TrimPrefix(name, envPrefix))
	near, isNear := suggest(stem, envStems)
	section, _, _ := strings.Cut(stem, "_")
	if _, isSection := sections[section]; !isNear && !isSection {
		return nil
	}
	msg := "unknown parameter variable; see docs/parameters.md for every parameter"
	if isNear {
		msg = "unknown parameter variable; did you mean " + envPrefix + strings.ToUpper(near) + "?"
	}
	return &Error{File: origin.where(), Msg: msg}
}

// setSettings reads --set arguments, each key=value.
func setSettings(sets []string) ([]setting, error) {
	return keyValueSettings(sets, LayerSet, "expected key=value, e.g. churn.alpha=0.5")
}

// keyValueSettings reads arguments key=value given by layer; an argument of
// another form is an error saying want.
func keyValueSettings(args []string, layer, want string) ([]setting, error) {
	var out []setting
	for _, arg := range args {
		origin := Origin{Layer: layer, Detail: arg}
		key, value, ok := strings.Cut(arg, "=")
		if key = strings.TrimSpace(key); !ok || key == "" {
			return nil, &Error{File: origin.where(), Msg: want}
		}
		s, err := parseSetting(key, value, origin)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// flagSettings reads flags, parameter key to value, in key order.
func flagSettings(flags map[string]string) ([]setting, error) {
	keys := make([]string, 0, len(flags))
	for k := range flags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []setting
	for _, key := range keys {
		s, err := parseSetting(key, flags[key], Origin{Layer: LayerFlag, Detail: key})
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
