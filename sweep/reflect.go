package sweep

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/scenario"
)

// Kind is the kind of value a parameter's path holds.
type Kind int

// The kinds of parameters.
const (
	// Number is a real number (most fields).
	Number Kind = iota
	// Integer is a whole number (horizon, tranches, wait, ...); sampled values are rounded.
	Integer
	// Choice is anything else: a string, true or false, a response; only lists of values apply.
	Choice
)

func (k Kind) String() string {
	return [...]string{"a number", "a whole number", "a value that is not a number"}[k]
}

// field is what a path addresses in the base scenario.
type field struct {
	kind    Kind
	typ     reflect.Type
	hasBase bool
	base    string  // the base value as text, when hasBase
	baseNum float64 // the base value as a number (NaN for a choice or none)
}

// splitPath splits a scenario path as scenario.Set does: dots separate keys,
// and a key in brackets may contain dots.
func splitPath(path string) ([]string, error) {
	var segs []string
	cur := ""
	for i := 0; i < len(path); i++ {
		switch c := path[i]; c {
		case '.':
			if cur != "" {
				segs = append(segs, cur)
			}
			cur = ""
		case '[':
			if cur != "" {
				segs = append(segs, cur)
			}
			cur = ""
			j := strings.IndexByte(path[i:], ']')
			if j < 0 {
				return nil, fmt.Errorf("unclosed '[' in %q", path)
			}
			segs = append(segs, path[i+1:i+j])
			i += j
		default:
			cur += string(c)
		}
	}
	if cur != "" {
		segs = append(segs, cur)
	}
	if len(segs) == 0 {
		return nil, fmt.Errorf("the path is empty")
	}
	return segs, nil
}

// lookup finds the field a path addresses in s and its value there. It
// follows the rules of scenario.Set: list elements by id, map entries by key
// (an entry not yet in the map has no base value).
func lookup(s *scenario.Scenario, path string) (field, error) {
	segs, err := splitPath(path)
	if err != nil {
		return field{}, err
	}
	v := reflect.ValueOf(s).Elem()
	present := true
	var actor *scenario.Actor
	inType := false
	where := ""
	for _, seg := range segs {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				present = false
				v = reflect.New(v.Type().Elem()).Elem()
			} else {
				v = v.Elem()
			}
		}
		switch v.Kind() {
		case reflect.Struct:
			f, ok := fieldByKey(v, seg)
			if !ok {
				return field{}, fmt.Errorf("no field %q%s; expected one of: %s", seg, under(where), strings.Join(keysOf(v.Type()), ", "))
			}
			v = f
		case reflect.Slice:
			if v.Type().Elem().Kind() != reflect.Struct || v.Type().Elem().Kind() == reflect.Struct && !hasID(v.Type().Elem()) {
				return field{}, fmt.Errorf("%s is a list of values and has no element %q; a parameter addresses one value", where, seg)
			}
			idx := -1
			var ids []string
			for k := 0; k < v.Len(); k++ {
				id := v.Index(k).FieldByName("ID").String()
				ids = append(ids, id)
				if id == seg {
					idx = k
				}
			}
			if idx < 0 {
				msg := fmt.Sprintf("no element with id %q%s; the ids are: %s", seg, under(where), strings.Join(ids, ", "))
				if c := closest(seg, ids); c != "" {
					msg = fmt.Sprintf("no element with id %q%s (did you mean %q?); the ids are: %s", seg, under(where), c, strings.Join(ids, ", "))
				}
				return field{}, fmt.Errorf("%s", msg)
			}
			v = v.Index(idx)
			switch x := v.Addr().Interface().(type) {
			case *scenario.Actor:
				actor = x
			case *scenario.Type:
				inType = true
			}
		case reflect.Map:
			e := v.MapIndex(reflect.ValueOf(seg))
			if !e.IsValid() {
				present = false
				e = reflect.New(v.Type().Elem()).Elem()
			}
			v = e
		default:
			return field{}, fmt.Errorf("%s is a single value and has no %q", where, seg)
		}
		if where == "" {
			where = seg
		} else {
			where += "." + seg
		}
	}
	f := field{typ: v.Type(), baseNum: math.NaN()}
	t := f.typ
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Float64:
		f.kind = Number
	case reflect.Int:
		f.kind = Integer
	case reflect.Struct, reflect.Slice, reflect.Map:
		if t != reflect.TypeFor[scenario.Response]() {
			return field{}, fmt.Errorf("%s holds %s, not one value; address one of its entries", path, describeType(t))
		}
		f.kind = Choice
	default:
		f.kind = Choice
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			present = false
		} else {
			v = v.Elem()
		}
	}
	if present {
		f.hasBase = true
		f.base, f.baseNum = valueText(v)
	} else if d, ok := defaultOf(segs[len(segs)-1], actor, inType); ok {
		f.hasBase = true
		f.base, f.baseNum = formatNum(d), d
	}
	return f, nil
}

func under(where string) string {
	if where == "" {
		return ""
	}
	return " under " + where
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice:
		return "a list"
	case reflect.Map:
		return "a mapping"
	}
	return "a group of fields"
}

// defaultOf is the value an unset optional field stands for.
func defaultOf(key string, actor *scenario.Actor, inType bool) (float64, bool) {
	switch key {
	case "verification":
		return scenario.DefaultVerification, true
	case "tranches":
		return scenario.DefaultTranches, true
	case "wait":
		return scenario.DefaultWait, true
	case "persistence":
		return scenario.DefaultPersistence, true
	case "symbolic":
		if actor != nil && inType { // a type's bound defaults to its actor's
			return actor.SymbolicOf(nil), true
		}
		return scenario.DefaultSymbolic, true
	case "lasting_value":
		if actor != nil && inType {
			return actor.LastingValue, true
		}
	}
	return 0, false
}

func valueText(v reflect.Value) (string, float64) {
	switch v.Kind() {
	case reflect.Float64:
		return formatNum(v.Float()), v.Float()
	case reflect.Int:
		return strconv.FormatInt(v.Int(), 10), float64(v.Int())
	case reflect.String:
		return v.String(), math.NaN()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), math.NaN()
	}
	if r, ok := v.Interface().(scenario.Response); ok {
		switch r.Kind {
		case scenario.Generous:
			return fmt.Sprintf("{generous: %s}", formatNum(r.Forgiveness)), math.NaN()
		case scenario.Patient:
			return fmt.Sprintf("{patient: %d}", r.Tolerance), math.NaN()
		case scenario.Strategy:
			return fmt.Sprintf("{strategy: %s}", r.StrategyName), math.NaN()
		}
		return string(r.Kind), math.NaN()
	}
	return "", math.NaN()
}

// formatNum writes a number as the shortest text that reads back to it.
func formatNum(x float64) string {
	if math.IsInf(x, 1) {
		return "inf"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func fieldByKey(v reflect.Value, key string) (reflect.Value, bool) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if yamlKey(t.Field(i)) == key {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

func yamlKey(f reflect.StructField) string {
	k, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return k
}

func keysOf(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if k := yamlKey(t.Field(i)); k != "" && k != "-" {
			out = append(out, k)
		}
	}
	return out
}

func hasID(t reflect.Type) bool {
	_, ok := t.FieldByName("ID")
	return ok
}

// clone returns a deep copy of a scenario.
func clone(s *scenario.Scenario) *scenario.Scenario {
	out := new(scenario.Scenario)
	deepCopy(reflect.ValueOf(out).Elem(), reflect.ValueOf(s).Elem())
	return out
}

func deepCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		deepCopy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Struct:
		for i := 0; i < src.NumField(); i++ {
			if dst.Field(i).CanSet() {
				deepCopy(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			deepCopy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		iter := src.MapRange()
		for iter.Next() {
			v := reflect.New(src.Type().Elem()).Elem()
			deepCopy(v, iter.Value())
			m.SetMapIndex(iter.Key(), v)
		}
		dst.Set(m)
	default:
		dst.Set(src)
	}
}
