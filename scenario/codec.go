package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// This file holds the two values of the format that have more than one
// written form: rationality (a number or "inf") and response (a bare policy
// name or a one-key mapping with its parameter). The YAML and the JSON forms
// are the same, so a Scenario round-trips through either.

// infWord is how an infinite rationality is written in a file.
const infWord = "inf"

// responseForms lists the written forms of a response, for messages.
const responseForms = "grim, tit-for-tat, generous, patient, {generous: G}, {patient: K} or {strategy: NAME}"

// UnmarshalYAML reads a rationality written as a number or as the word inf.
// It implements the InterfaceUnmarshaler of github.com/goccy/go-yaml.
func (r *Rationality) UnmarshalYAML(unmarshal func(any) error) error {
	var v any
	if err := unmarshal(&v); err != nil {
		return err
	}
	x, err := rationalityFromValue(plainNumber(v))
	if err != nil {
		return err
	}
	*r = x
	return nil
}

// MarshalYAML writes +Inf as inf and any other value as a number.
func (r Rationality) MarshalYAML() (any, error) {
	if r.Inf() {
		return infWord, nil
	}
	return float64(r), nil
}

// MarshalJSON writes +Inf as "inf" and any other value as a number.
func (r Rationality) MarshalJSON() ([]byte, error) {
	f := float64(r)
	switch {
	case r.Inf():
		return []byte(`"` + infWord + `"`), nil
	case math.IsNaN(f) || math.IsInf(f, -1):
		return nil, fmt.Errorf("rationality %v has no JSON form; it must be a positive number or inf", f)
	}
	return json.Marshal(f)
}

// UnmarshalJSON reads a number or the string "inf".
func (r *Rationality) UnmarshalJSON(data []byte) error {
	if isJSONNull(data) {
		return nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if n, ok := v.(json.Number); ok {
		f, err := n.Float64()
		if err != nil {
			return fmt.Errorf("rationality %s is not a usable number", n)
		}
		v = f
	}
	x, err := rationalityFromValue(v)
	if err != nil {
		return err
	}
	*r = x
	return nil
}

// rationalityFromValue interprets a decoded YAML or JSON value. Its range
// (λ > 0) is checked by Validate, so that every range problem of a file is
// reported together.
func rationalityFromValue(v any) (Rationality, error) {
	if s, ok := v.(string); ok {
		if s == infWord {
			return Rationality(math.Inf(1)), nil
		}
		return 0, fmt.Errorf("rationality must be a positive number or %s, got %q", infWord, s)
	}
	f, ok := numberOf(v)
	if !ok || math.IsNaN(f) {
		return 0, fmt.Errorf("rationality must be a positive number or %s, got %s", infWord, describeValue(v))
	}
	return Rationality(f), nil
}

// UnmarshalYAML reads a response written as a bare name (grim, tit-for-tat,
// generous, patient) or as a one-key mapping ({generous: 0.3}, {patient: 2}).
// The bare generous and patient take the default parameters. It implements the
// InterfaceUnmarshaler of github.com/goccy/go-yaml.
func (r *Response) UnmarshalYAML(unmarshal func(any) error) error {
	var v any
	if err := unmarshal(&v); err != nil {
		return err
	}
	if m, ok := v.(map[string]any); ok {
		for k, x := range m {
			m[k] = plainNumber(x)
		}
	}
	x, err := responseFromValue(v)
	if err != nil {
		return err
	}
	*r = x
	return nil
}

// MarshalYAML writes the file form of the response (see [Response.MarshalJSON]).
func (r Response) MarshalYAML() (any, error) {
	switch r.Kind {
	case Generous:
		return map[string]any{string(Generous): r.Forgiveness}, nil
	case Patient:
		return map[string]any{string(Patient): r.Tolerance}, nil
	case Strategy:
		return map[string]any{string(Strategy): r.StrategyName}, nil
	case "":
		return string(TitForTat), nil
	}
	return string(r.Kind), nil
}

// MarshalJSON writes the file form: "grim" and "tit-for-tat" as strings,
// generous and patient as one-key objects with their parameter. The zero
// Response is written as "tit-for-tat", the policy it stands for.
func (r Response) MarshalJSON() ([]byte, error) {
	v, err := r.MarshalYAML()
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads the forms written by MarshalJSON, and the bare names
// "generous" and "patient" with their default parameters.
func (r *Response) UnmarshalJSON(data []byte) error {
	if isJSONNull(data) {
		return nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if m, ok := v.(map[string]any); ok {
		for k, x := range m {
			if n, ok := x.(json.Number); ok {
				if i, err := n.Int64(); err == nil {
					m[k] = i
				} else if f, err := n.Float64(); err == nil {
					m[k] = f
				}
			}
		}
	}
	x, err := responseFromValue(v)
	if err != nil {
		return err
	}
	*r = x
	return nil
}

// responseFromValue interprets a decoded YAML or JSON value.
func responseFromValue(v any) (Response, error) {
	switch x := v.(type) {
	case string:
		return responseNamed(x)
	case map[string]any:
		if len(x) != 1 {
			return Response{}, responseMappingSizeError(len(x))
		}
		for k, p := range x {
			return responseWithParameter(k, p)
		}
	}
	return Response{}, fmt.Errorf("response must be one of %s; got %s", responseForms, describeValue(v))
}

// responseNamed reads a bare policy name.
func responseNamed(name string) (Response, error) {
	switch ResponseKind(name) {
	case Grim, TitForTat:
		return Response{Kind: ResponseKind(name)}, nil
	case Generous:
		return Response{Kind: Generous, Forgiveness: DefaultForgiveness}, nil
	case Patient:
		return Response{Kind: Patient, Tolerance: DefaultTolerance}, nil
	}
	return Response{}, unknownResponseError(name)
}

// responseWithParameter reads the one-key mapping form. The range of the
// parameter is left to Validate.
func responseWithParameter(name string, p any) (Response, error) {
	switch ResponseKind(name) {
	case Generous:
		g, ok := numberOf(p)
		if !ok || math.IsNaN(g) || math.IsInf(g, 0) {
			return Response{}, fmt.Errorf("generous forgiveness must be a number between 0 and 1, got %s", describeValue(p))
		}
		return Response{Kind: Generous, Forgiveness: g}, nil
	case Patient:
		k, ok := wholeNumberOf(p)
		if !ok {
			return Response{}, fmt.Errorf("patient tolerance must be a whole number of defections, got %s", describeValue(p))
		}
		return Response{Kind: Patient, Tolerance: k}, nil
	case Grim, TitForTat:
		return Response{}, fmt.Errorf("%s takes no parameter; write response: %s", name, name)
	case Strategy:
		n, ok := p.(string)
		if !ok || strings.TrimSpace(n) == "" {
			return Response{}, fmt.Errorf("strategy must name a rule of the catalogue, such as TitForTat or GTFT, got %s", describeValue(p))
		}
		return Response{Kind: Strategy, StrategyName: n}, nil
	}
	return Response{}, unknownResponseError(name)
}

func unknownResponseError(name string) error {
	return fmt.Errorf("unknown response %q; expected %s", name, responseForms)
}

func responseMappingSizeError(n int) error {
	return fmt.Errorf("a response mapping has exactly one key, such as {generous: 0.3} or {patient: 2}; got %d keys", n)
}

// plainNumber converts the plain YAML scalars that the parser leaves as
// strings although they are numbers (such as 1e3) to float64. Quoted strings
// never get here: Load rejects them first.
func plainNumber(v any) any {
	if s, ok := v.(string); ok && plainNumberRE.MatchString(s) {
		if f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64); err == nil {
			return f
		}
	}
	return v
}

// numberOf converts the numeric values produced by the YAML and JSON decoders.
func numberOf(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// wholeNumberOf converts an integral numeric value to an int.
func wholeNumberOf(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	case uint64:
		if x > math.MaxInt64 {
			return 0, false
		}
		return int(x), true
	}
	f, ok := numberOf(v)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int(f), true
}

// describeValue names a decoded value for a message.
func describeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing (null)"
	case string:
		return strconv.Quote(x)
	case bool:
		return strconv.FormatBool(x)
	case map[string]any, map[any]any:
		return "a mapping"
	case []any:
		return "a list"
	}
	if f, ok := numberOf(v); ok {
		return formatNumber(f)
	}
	return fmt.Sprintf("%v", v)
}

// formatNumber prints a number as briefly as it can be read back.
func formatNumber(f float64) string {
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func isJSONNull(data []byte) bool {
	return string(bytes.TrimSpace(data)) == "null"
}
