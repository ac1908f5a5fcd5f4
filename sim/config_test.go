package sim

import (
	"reflect"
	"slices"
	"testing"
)

// Every leaf field of Config has exactly one entry in Params, and every
// entry names a field: the table is the single place of every default.
func TestParamsCoverConfig(t *testing.T) {
	var fields []string
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			if f.Tag.Get("mapstructure") == "-" {
				continue // not a parameter: the distributions of Uncertain
			}
			key := prefix + f.Tag.Get("mapstructure")
			if f.Type.Kind() == reflect.Struct {
				walk(key+".", f.Type)
				continue
			}
			fields = append(fields, key)
		}
	}
	walk("", reflect.TypeOf(Config{}))
	var keys []string
	for _, p := range Params {
		keys = append(keys, p.Key)
		if err := p.Check(p.Default); err != nil {
			t.Errorf("default outside its own range: %v", err)
		}
		if p.Source == "" || p.Doc == "" {
			t.Errorf("%s: no source or no documentation", p.Key)
		}
	}
	slices.Sort(fields)
	slices.Sort(keys)
	if !slices.Equal(fields, keys) {
		t.Errorf("Config fields and Params keys differ:\nfields %v\nkeys   %v", fields, keys)
	}
	if c := Default(); c.Validate() != nil {
		t.Errorf("the defaults do not validate: %v", c.Validate())
	}
}
