package scenarios

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/retsim/retsim/sim"
)

// setting is one value given to one parameter by one layer.
type setting struct {
	key    string
	x      float64
	origin Origin
}

// fail is an Error about s with the message msg.
func (s setting) fail(msg string) *Error {
	return &Error{File: s.origin.where(), Key: s.key, Msg: msg}
}

// apply starts from sim.Default and applies settings in order, each
// overriding the ones before, and takes segs's segments; it checks every
// value against its range as it goes, then the relations between
// parameters and the segments. scenarioFile is blamed for a relation broken
// by a default value.
func apply(scenarioFile string, settings []setting, segs segmentLayer) (sim.Config, map[string]Origin, error) {
	cfg := sim.Default()
	origins := make(map[string]Origin, len(sim.Params))
	for _, p := range sim.Params {
		origins[p.Key] = Origin{Layer: LayerDefault}
	}
	for _, s := range settings {
		p, _ := sim.Lookup(s.key) // every setting's key was looked up when it was read
		if err := p.Check(s.x); err != nil {
			return cfg, nil, s.fail(message(err))
		}
		if err := cfg.Set(s.key, s.x); err != nil {
			return cfg, nil, s.fail(message(err))
		}
		origins[s.key] = s.origin
	}
	cfg.Segments = segs.segments
	if err := cfg.Validate(); err != nil {
		var pe *sim.ParamError
		if !errors.As(err, &pe) {
			return cfg, nil, &Error{File: scenarioFile, Msg: err.Error()}
		}
		key, msg := pe.Key, pe.Msg
		where := scenarioFile
		if o, ok := origins[key]; ok && o.Layer != LayerDefault {
			where = o.where()
		} else if file, ok := segs.blame(key); ok {
			where = file
		}
		return cfg, nil, &Error{File: where, Key: key, Msg: msg}
	}
	return cfg, origins, nil
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

// parseSetting reads text, given to the parameter key by origin, as a finite
// number.
func parseSetting(key, text string, origin Origin) (setting, error) {
	s := setting{key: key, origin: origin}
	if first, _, _ := strings.Cut(key, "."); first == keySegments || first == keyTargeting {
		return s, s.fail("segments and targeting are set in a scenario file only; see docs/parameters.md")
	}
	if _, ok := sim.Lookup(key); !ok {
		return s, s.fail(unknownKey(key, paramKeys))
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return s, s.fail("must be a finite number, got " + text)
	case err != nil:
		return s, s.fail("must be a number, got " + strconv.Quote(text))
	}
	s.x = x // NaN and infinities are refused with the range, in apply
	return s, nil
}

// settings reads the layers of src, lowest first.
func (src Sources) settings() ([]setting, error) {
	env, err := envSettings(src.Env)
	if err != nil {
		return nil, err
	}
	sets, err := setSettings(src.Sets)
	if err != nil {
		return nil, err
	}
	flags, err := flagSettings(src.Flags)
	if err != nil {
		return nil, err
	}
	return slices.Concat(env, sets, flags), nil
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
	return &Error{File: origin.String(), Msg: msg}
}

// setSettings reads --set arguments, each key=value.
func setSettings(sets []string) ([]setting, error) {
	var out []setting
	for _, arg := range sets {
		origin := Origin{Layer: LayerSet, Detail: arg}
		key, value, ok := strings.Cut(arg, "=")
		if key = strings.TrimSpace(key); !ok || key == "" {
			return nil, &Error{File: origin.String(), Msg: "expected key=value, e.g. churn.alpha=0.5"}
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
