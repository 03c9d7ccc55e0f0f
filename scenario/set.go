package scenario

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
)

// Set changes one value of a scenario, addressed by a path of YAML keys in
// which list elements are named by their id: for example
//
//	environment.noise
//	actors.DPRK.insecurity
//	actors.DPRK.types.security-seeker.prior
//	moves.yongbyon-freeze.verification
//	moves.pledge.benefit.DPRK
//	actors[US].beliefs[DPRK][opportunist]
//
// (a list element or map key can also be written in brackets, which allows
// ids containing dots). The value is read as YAML into the field's type, so
// "inf", "{generous: 0.2}" and "[a, b]" work where the field takes them.
// Set does not validate the result: call [Validate] after the last change.
func Set(s *Scenario, path, value string) error {
	segs, err := splitPath(path)
	if err != nil {
		return err
	}
	v := reflect.ValueOf(s).Elem()
	where := ""
	for i, seg := range segs {
		last := i == len(segs)-1
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
			fallthrough
		case reflect.Struct:
			f, ok := fieldByTag(v, seg)
			if !ok {
				return fmt.Errorf("%s: no field %q%s; expected one of: %s", path, seg, at(where), strings.Join(tags(v.Type()), ", "))
			}
			v = f
		case reflect.Slice:
			idx := -1
			var ids []string
			for k := 0; k < v.Len(); k++ {
				id := v.Index(k).FieldByName("ID")
				if !id.IsValid() {
					break
				}
				ids = append(ids, id.String())
				if id.String() == seg {
					idx = k
				}
			}
			if idx < 0 {
				return fmt.Errorf("%s: no element with id %q%s; the ids are: %s", path, seg, at(where), strings.Join(ids, ", "))
			}
			v = v.Index(idx)
		case reflect.Map:
			if v.IsNil() {
				v.Set(reflect.MakeMap(v.Type()))
			}
			key := reflect.ValueOf(seg)
			if last {
				return setMapValue(v, key, path, value)
			}
			elem := v.MapIndex(key)
			if !elem.IsValid() {
				// an inner map that does not exist yet, e.g. beliefs about a new counterpart
				elem = reflect.MakeMap(v.Type().Elem())
				v.SetMapIndex(key, elem)
			}
			v = elem
		default:
			return fmt.Errorf("%s: %q%s is a single value and has no %q", path, where, "", seg)
		}
		if where == "" {
			where = seg
		} else {
			where += "." + seg
		}
	}
	return setValue(v, path, value)
}

func at(where string) string {
	if where == "" {
		return ""
	}
	return " under " + where
}

func splitPath(path string) ([]string, error) {
	var segs []string
	cur := ""
	flush := func() {
		if cur != "" {
			segs = append(segs, cur)
			cur = ""
		}
	}
	for i := 0; i < len(path); i++ {
		switch c := path[i]; c {
		case '.':
			flush()
		case '[':
			flush()
			j := strings.IndexByte(path[i:], ']')
			if j < 0 {
				return nil, fmt.Errorf("%s: unclosed '['", path)
			}
			segs = append(segs, path[i+1:i+j])
			i += j
		default:
			cur += string(c)
		}
	}
	flush()
	if len(segs) == 0 {
		return nil, errors.New("empty path")
	}
	return segs, nil
}

func fieldByTag(v reflect.Value, name string) (reflect.Value, bool) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if yamlKey(t.Field(i)) == name {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

func yamlKey(f reflect.StructField) string {
	tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return tag
}

func tags(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if n := yamlKey(t.Field(i)); n != "" && n != "-" {
			out = append(out, n)
		}
	}
	return out
}

func decodeInto(t reflect.Type, path, value string) (reflect.Value, error) {
	if t.Kind() == reflect.Pointer {
		x, err := decodeInto(t.Elem(), path, value)
		if err != nil {
			return x, err
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(x)
		return p, nil
	}
	bad := fmt.Errorf("%s: cannot use %q: expected %s", path, value, kindName(t))
	switch {
	case t.Kind() == reflect.Int:
		n, err := strconv.Atoi(value)
		if err != nil {
			return reflect.Value{}, bad
		}
		return reflect.ValueOf(n).Convert(t), nil
	case t.Kind() == reflect.Float64 && t != reflect.TypeOf(Rationality(0)):
		x, err := strconv.ParseFloat(value, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return reflect.Value{}, bad
		}
		return reflect.ValueOf(x).Convert(t), nil
	case t.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(value)
		if err != nil {
			return reflect.Value{}, bad
		}
		return reflect.ValueOf(b).Convert(t), nil
	case t.Kind() == reflect.String:
		return reflect.ValueOf(value).Convert(t), nil
	}
	p := reflect.New(t)
	if err := yaml.Unmarshal([]byte(value), p.Interface()); err != nil {
		return reflect.Value{}, bad
	}
	return p.Elem(), nil
}

func setValue(v reflect.Value, path, value string) error {
	if !v.CanSet() {
		return fmt.Errorf("%s: cannot be set", path)
	}
	x, err := decodeInto(v.Type(), path, value)
	if err != nil {
		return err
	}
	v.Set(x)
	return nil
}

func setMapValue(m, key reflect.Value, path, value string) error {
	x, err := decodeInto(m.Type().Elem(), path, value)
	if err != nil {
		return err
	}
	m.SetMapIndex(key, x)
	return nil
}

func kindName(t reflect.Type) string {
	switch t {
	case reflect.TypeOf(Rationality(0)):
		return "a number or inf"
	case reflect.TypeOf(Response{}):
		return "a response: grim, tit-for-tat, generous, patient, {generous: g} or {patient: k}"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return kindName(t.Elem())
	case reflect.Float64:
		return "a number"
	case reflect.Int:
		return "an integer"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "a list, e.g. [a, b]"
	case reflect.Map:
		return "a mapping, e.g. {key: value}"
	}
	return "a value of type " + t.String()
}

// SetAll applies "PATH=VALUE" assignments in order, then validates the
// result; every problem is reported, each naming the assignment it comes from.
func SetAll(s *Scenario, assignments []string) error {
	for _, a := range assignments {
		p, val, ok := strings.Cut(a, "=")
		if !ok || strings.TrimSpace(p) == "" {
			return fmt.Errorf("--set %s: expected PATH=VALUE, e.g. actors.DPRK.insecurity=0.5", strconv.Quote(a))
		}
		if err := Set(s, strings.TrimSpace(p), strings.TrimSpace(val)); err != nil {
			return fmt.Errorf("--set: %w", err)
		}
	}
	return Validate(s)
}
