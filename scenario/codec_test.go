package scenario

import (
	"encoding/json"
	"math"
	"os"
	"reflect"
	"testing"

	"github.com/goccy/go-yaml"
)

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRationalityForms(t *testing.T) {
	inf := Rationality(math.Inf(1))
	tests := []struct {
		yaml string
		want Rationality
		json string
	}{
		{"20", 20, "20"},
		{"0.5", 0.5, "0.5"},
		{"inf", inf, `"inf"`},
		{".inf", inf, `"inf"`},
		{"1e3", 1000, "1000"},
	}
	for _, tc := range tests {
		var r Rationality
		if err := yaml.Unmarshal([]byte(tc.yaml), &r); err != nil || r != tc.want {
			t.Errorf("YAML %s: got %v, %v; want %v", tc.yaml, r, err, tc.want)
		}
		j, err := json.Marshal(r)
		if err != nil || string(j) != tc.json {
			t.Errorf("JSON of %v = %s, %v; want %s", r, j, err, tc.json)
		}
		var back Rationality
		if err := json.Unmarshal(j, &back); err != nil || back != r {
			t.Errorf("JSON %s read back as %v, %v", j, back, err)
		}
		y, err := yaml.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		back = 0
		if err := yaml.Unmarshal(y, &back); err != nil || back != r {
			t.Errorf("YAML %q read back as %v, %v", y, back, err)
		}
	}
	for _, bad := range []string{`"fast"`, `[1]`, `{"a": 1}`, `true`, `"20"`} {
		var r Rationality
		if err := json.Unmarshal([]byte(bad), &r); err == nil {
			t.Errorf("JSON %s: no error", bad)
		}
	}
	for _, bad := range []Rationality{Rationality(math.NaN()), Rationality(math.Inf(-1))} {
		if _, err := json.Marshal(bad); err == nil {
			t.Errorf("JSON of %v: no error", bad)
		}
	}
}

func TestResponseForms(t *testing.T) {
	tests := []struct {
		yaml string
		want Response
		json string
	}{
		{"grim", Response{Kind: Grim}, `"grim"`},
		{"tit-for-tat", Response{Kind: TitForTat}, `"tit-for-tat"`},
		{"generous", Response{Kind: Generous, Forgiveness: 0.3}, `{"generous":0.3}`},
		{"patient", Response{Kind: Patient, Tolerance: 2}, `{"patient":2}`},
		{"{strategy: GTFT}", Response{Kind: Strategy, StrategyName: "GTFT"}, `{"strategy":"GTFT"}`},
		{"{generous: 0.1}", Response{Kind: Generous, Forgiveness: 0.1}, `{"generous":0.1}`},
		{"{generous: 1}", Response{Kind: Generous, Forgiveness: 1}, `{"generous":1}`},
		{"{generous: 5e-1}", Response{Kind: Generous, Forgiveness: 0.5}, `{"generous":0.5}`},
		{"patient: 4", Response{Kind: Patient, Tolerance: 4}, `{"patient":4}`},
	}
	for _, tc := range tests {
		var r Response
		if err := yaml.Unmarshal([]byte(tc.yaml), &r); err != nil || r != tc.want {
			t.Errorf("YAML %s: got %+v, %v; want %+v", tc.yaml, r, err, tc.want)
		}
		j, err := json.Marshal(r)
		if err != nil || string(j) != tc.json {
			t.Errorf("JSON of %+v = %s, %v; want %s", r, j, err, tc.json)
		}
		var back Response
		if err := json.Unmarshal(j, &back); err != nil || back != r {
			t.Errorf("JSON %s read back as %+v, %v", j, back, err)
		}
		y, err := yaml.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		back = Response{}
		if err := yaml.Unmarshal(y, &back); err != nil || back != r {
			t.Errorf("YAML %q read back as %+v, %v", y, back, err)
		}
	}
	if j, _ := json.Marshal(Response{}); string(j) != `"tit-for-tat"` {
		t.Errorf("JSON of the zero Response = %s, want \"tit-for-tat\"", j)
	}
	bad := map[string]string{
		`"nice"`:                        `unknown response "nice"; expected grim, tit-for-tat, generous, patient, {generous: G}, {patient: K} or {strategy: NAME}`,
		`{"strategy": 3}`:               "strategy must name a rule of the catalogue, such as TitForTat or GTFT, got 3",
		`{"grim": 1}`:                   "grim takes no parameter; write response: grim",
		`{"patient": 1.5}`:              "patient tolerance must be a whole number of defections, got 1.5",
		`{"generous": "x"}`:             `generous forgiveness must be a number between 0 and 1, got "x"`,
		`{"generous": 1, "patient": 2}`: "a response mapping has exactly one key, such as {generous: 0.3} or {patient: 2}; got 2 keys",
		`3`:                             "response must be one of grim, tit-for-tat, generous, patient, {generous: G}, {patient: K} or {strategy: NAME}; got 3",
	}
	for in, want := range bad {
		var r Response
		err := json.Unmarshal([]byte(in), &r)
		if err == nil || err.Error() != want {
			t.Errorf("JSON %s: error %v, want %q", in, err, want)
		}
	}
}

// TestRoundTrips writes every good and built-in scenario as JSON and as YAML
// and reads it back to the same value.
func TestRoundTrips(t *testing.T) {
	sources := map[string][]byte{}
	for _, path := range goodFiles(t) {
		sources[path] = readFile(t, path)
	}
	for _, name := range BuiltinNames() {
		src, _ := BuiltinSource(name)
		sources[name] = src
	}
	for name, src := range sources {
		s, err := Load(name, src)
		if err != nil {
			continue // reported elsewhere
		}
		j, err := json.Marshal(s)
		if err != nil {
			t.Errorf("%s: json.Marshal: %v", name, err)
			continue
		}
		var fromJSON Scenario
		if err := json.Unmarshal(j, &fromJSON); err != nil {
			t.Errorf("%s: json.Unmarshal: %v", name, err)
		} else if !reflect.DeepEqual(&fromJSON, s) {
			t.Errorf("%s: JSON round trip changed the scenario:\n%s", name, j)
		}
		y, err := yaml.Marshal(s)
		if err != nil {
			t.Errorf("%s: yaml.Marshal: %v", name, err)
			continue
		}
		fromYAML, err := Load(name+" (written back)", y)
		if err != nil {
			t.Errorf("%s: the YAML written back does not load:\n%v\n%s", name, err, y)
		} else if !reflect.DeepEqual(fromYAML, s) {
			t.Errorf("%s: YAML round trip changed the scenario:\n%s", name, y)
		}
		// JSON is YAML: Load reads the JSON form too.
		if fromJ, err := Load(name+" (JSON)", j); err != nil || !reflect.DeepEqual(fromJ, s) {
			t.Errorf("%s: Load of the JSON form: %v", name, err)
		}
	}
}
