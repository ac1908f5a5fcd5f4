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
			key := prefix + f.Tag.Get("mapstructure")
			if f.Type.Kind() == reflect.Slice {
				continue // Segments, a list checked by TestSegmentParamsCoverSegment; Uncertain, distributions checked by Validate
			}
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

// Every number of Segment but its targeting weight has exactly one entry in
// SegmentParams, and NewSegment sets each optional one to its default.
func TestSegmentParamsCoverSegment(t *testing.T) {
	var fields, keys []string
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			switch {
			case f.Type.Kind() == reflect.Struct:
				walk(prefix+f.Tag.Get("mapstructure")+".", f.Type)
			case f.Type.Kind() == reflect.Float64 && f.Name != "Target":
				fields = append(fields, prefix+f.Tag.Get("mapstructure"))
			}
		}
	}
	walk("", reflect.TypeOf(Segment{}))
	s := NewSegment("x")
	for _, p := range SegmentParams {
		keys = append(keys, p.Key)
		if x, err := s.Get(p.Key); err != nil || !(x == p.Default || x != x && p.Default != p.Default) {
			t.Errorf("%s: NewSegment gives %v (%v), want the default %v", p.Key, x, err, p.Default)
		}
	}
	slices.Sort(fields)
	slices.Sort(keys)
	if !slices.Equal(fields, keys) {
		t.Errorf("Segment fields and SegmentParams keys differ:\nfields %v\nkeys   %v", fields, keys)
	}
}
