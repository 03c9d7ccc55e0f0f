package bargain

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGeniusToYAML converts each Genius domain to YAML, compares the text
// with a golden file, and reads it back: every outcome keeps its utilities.
func TestGeniusToYAML(t *testing.T) {
	for _, c := range geniusCases {
		t.Run(c.name, func(t *testing.T) {
			s := readGeniusCase(t, c)
			var b bytes.Buffer
			if err := s.WriteYAML(&b); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "yaml", c.name+".yaml")
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != string(want) {
				t.Errorf("YAML differs from %s (rerun with -update to accept):\n%s", golden, b.String())
			}
			back, err := LoadYAML(golden, b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			a1, _ := Analyse(s, Options{})
			a2, err := Analyse(back, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for k := range a1.U1 {
				if a1.U1[k] != a2.U1[k] || a1.U2[k] != a2.U2[k] {
					t.Fatalf("outcome %d: (%v, %v) from Genius, (%v, %v) from YAML", k, a1.U1[k], a1.U2[k], a2.U1[k], a2.U2[k])
				}
			}
			if back.Name != s.Name || back.Parties[0].Name != s.Parties[0].Name || back.Parties[1].Reservation != s.Parties[1].Reservation {
				t.Errorf("names or reservations changed: %q %q", back.Name, back.Parties[0].Name)
			}
		})
	}
}

// TestYAMLRoundTripDivisible writes and reads back a space with both kinds
// of issues, including scores whose best is below 1.
func TestYAMLRoundTripDivisible(t *testing.T) {
	s := pie([]float64{0.6, 0.4}, []float64{0.2, 0.8})
	s.Parties[0].Valuations[1] = Valuation{Weight: 0.4, AtMin: 0.25, AtMax: 0.5}
	s.Issues = append(s.Issues, Issue{Name: "19'' LCD: yes", Values: []string{"true", "60 Gb", "x"}})
	s.Parties[0].Valuations = append(s.Parties[0].Valuations, Valuation{Weight: 0.1, Scores: []float64{0, 0.5, 0.25}})
	s.Parties[1].Valuations = append(s.Parties[1].Valuations, Valuation{Weight: 0.1, Scores: []float64{1, 0, 0}})
	s.Parties[1].Reservation, s.Parties[0].Discount = 0.125, 0.9
	var b bytes.Buffer
	if err := s.WriteYAML(&b); err != nil {
		t.Fatal(err)
	}
	back, err := LoadYAML("rt.yaml", b.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	for _, d := range []Deal{{0, 0, 0}, {1, 0.5, 1}, {0.25, 1, 2}} {
		if u, v := s.Utilities(d), back.Utilities(d); !near(u.U1, v.U1, 1e-15) || !near(u.U2, v.U2, 1e-15) {
			t.Errorf("deal %v: %v written, %v read back\n%s", d, u, v, b.String())
		}
	}
	if back.Issues[2].Name != "19'' LCD: yes" || back.Issues[2].Values[0] != "true" || back.Parties[0].Discount != 0.9 || back.Parties[1].Reservation != 0.125 {
		t.Errorf("read back %+v", back)
	}
}

// TestYAMLErrors checks that malformed and invalid deal-space files are
// reported with their line and column.
func TestYAMLErrors(t *testing.T) {
	const good = `name: t
issues:
  - name: price
    range: [0, 100]
  - name: colour
    values: [red, blue]
parties:
  - name: seller
    reservation: 0.2
    weights: {price: 0.5, colour: 0.5}
    scores:
      price: {min: 0, max: 1}
      colour: {red: 2, blue: 1}
  - name: buyer
    weights: {price: 0.5, colour: 0.5}
    scores:
      price: {min: 1, max: 0}
      colour: {red: 1, blue: 3}
`
	s, err := LoadYAML("good.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if s.Parties[0].Valuations[1].Scores[1] != 0.5 || s.Parties[1].Valuations[1].Scores[0] != 1.0/3 || s.Parties[1].Discount != 1 || s.Parties[0].Reservation != 0.2 {
		t.Errorf("loaded %+v", s)
	}
	for _, c := range []struct {
		name, edit, with string
		want             []string
	}{
		{"tab", "  - name: price\n", "\t- name: price\n", []string{"bad.yaml:3:1: invalid YAML"}},
		{"unclosed flow", "values: [red, blue]", "values: [red, blue", []string{"bad.yaml:7:1: invalid YAML: ',' or ']' must be specified"}},
		{"unterminated string", "name: t", `name: "t`, []string{"bad.yaml:1:7: invalid YAML"}},
		{"duplicate key", "    reservation: 0.2\n", "    reservation: 0.2\n    reservation: 0.3\n", []string{"bad.yaml:10:5", "reservation"}},
		{"unknown field", "    reservation: 0.2\n", "    reservaton: 0.2\n", []string{`bad.yaml:9:5: parties[0]: unknown field "reservaton" in a party`}},
		{"wrong type", "reservation: 0.2", "reservation: high", []string{`bad.yaml:9:18: parties[0].reservation: must be a finite number, got "high"`}},
		{"bad range", "range: [0, 100]", "range: [100, 0]", []string{"bad.yaml:4:12: issues[0].range: min 100 must be below max 0"}},
		{"both kinds", "    range: [0, 100]\n", "    range: [0, 100]\n    values: [a]\n", []string{"bad.yaml:4:5: issues[0]: an issue has either values"}},
		{"unknown value", "colour: {red: 2, blue: 1}", "colour: {red: 2, bleu: 1}", []string{`bad.yaml:13:24: parties[0].scores.colour: issue "colour" has no value "bleu"`, `bad.yaml:13:15: parties[0].scores.colour: no score for "blue"`}},
		{"missing weight", "    weights: {price: 0.5, colour: 0.5}\n    scores:\n      price: {min: 0, max: 1}\n      colour: {red: 2", "    weights: {price: 0.5}\n    scores:\n      price: {min: 0, max: 1}\n      colour: {red: 2", []string{`bad.yaml:10:14: parties[0].weights: no entry for issue "colour"`}},
		{"unknown issue", "weights: {price: 0.5, colour: 0.5}\n    scores:\n      price: {min: 0, max: 1}\n      colour: {red: 2", "weights: {price: 0.5, color: 0.5}\n    scores:\n      price: {min: 0, max: 1}\n      colour: {red: 2", []string{`bad.yaml:10:27: parties[0].weights: no issue "color"`}},
		{"negative weight", "weights: {price: 0.5, colour: 0.5}\n    scores:\n      price: {min: 1", "weights: {price: -0.5, colour: 0.5}\n    scores:\n      price: {min: 1", []string{`bad.yaml:15:22: parties[1].weights.price: a weight must not be negative`}},
		{"discount", "    reservation: 0.2\n", "    reservation: 0.2\n    discount: 1.5\n", []string{"bad.yaml:10:15: parties[0].discount: must be in (0, 1]"}},
		{"three parties", "  - name: buyer\n", "  - name: third\n    weights: {}\n    scores: {}\n  - name: buyer\n", []string{"bad.yaml:8:3: parties: a deal space has exactly two parties, got 3"}},
		{"divisible scores", "price: {min: 0, max: 1}\n      colour: {red: 2", "price: {low: 0, max: 1}\n      colour: {red: 2", []string{`bad.yaml:12:15: parties[0].scores.price: unknown field "low"`, `bad.yaml:12:14: parties[0].scores.price: missing required field "min"`}},
		{"key with spaces", "{red: 1, blue: 3}", "{red: 1, blue: -3}", []string{`bad.yaml:18:34: parties[1].scores["the colour"].blue: a score must not be negative, got -3`}},
		{"alias", "    weights: {price: 0.5, colour: 0.5}\n    scores:\n      price: {min: 1", "    weights: *w\n    scores:\n      price: {min: 1", []string{"bad.yaml:15:14: parties[1].weights: aliases"}},
		{"not a mapping", good, "- just\n- a list\n", []string{"bad.yaml:1:1: must be a mapping of a deal space, got a list"}},
		{"empty", good, "# nothing\n", []string{"bad.yaml: the file is empty"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(good, c.edit) {
				t.Fatalf("the good file has no %q", c.edit)
			}
			bad := strings.Replace(good, c.edit, c.with, 1)
			if c.name == "key with spaces" {
				bad = strings.ReplaceAll(bad, "colour", "the colour")
			}
			_, err := LoadYAML("bad.yaml", []byte(bad))
			if err == nil {
				t.Fatalf("no error for\n%s", bad)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nwant it to contain %q", err, w)
				}
			}
		})
	}
}
