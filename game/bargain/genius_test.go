package bargain

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// geniusCase names the files of one Genius domain in testdata/genius.
type geniusCase struct {
	name, domain, p1, p2 string
}

var geniusCases = []geniusCase{
	{"Laptop", "Laptop/Laptop-C-domain.xml", "Laptop/Laptop-C-prof1.xml", "Laptop/Laptop-C-prof2.xml"},
	{"EnglandZimbabwe", "EnglandZimbabwe/EnglandZimbabwe_domain.xml", "EnglandZimbabwe/England.xml", "EnglandZimbabwe/Zimbabwe.xml"},
}

func readGeniusCase(t testing.TB, c geniusCase) *Space {
	t.Helper()
	src := func(p string) Source {
		s, err := ReadSource(filepath.Join("testdata", "genius", p))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s, err := ReadGenius(src(c.domain), [2]Source{src(c.p1), src(c.p2)})
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	return s
}

// refPoint is [u1, u2, [values...]] in reference_solutions.json.
type refPoint struct {
	U1, U2 float64
	Values []string
}

func (r *refPoint) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if err := json.Unmarshal(raw[0], &r.U1); err != nil {
		return err
	}
	if err := json.Unmarshal(raw[1], &r.U2); err != nil {
		return err
	}
	return json.Unmarshal(raw[2], &r.Values)
}

type refDomain struct {
	NOutcomes int                  `json:"n_outcomes"`
	Issues    []string             `json:"issues"`
	Reserved  []float64            `json:"reserved"`
	Weights   []map[string]float64 `json:"weights"`
	Pareto    []refPoint           `json:"pareto"`
	Nash      refPoint             `json:"nash"`
	KS        refPoint             `json:"kalai_smorodinsky_discrete"`
	Welfare   refPoint             `json:"max_welfare"`
}

// dealValues names the values of a deal of an all-discrete space.
func dealValues(s *Space, d Deal) []string {
	out := make([]string, len(d))
	for i := range d {
		out[i] = s.ValueString(i, d[i])
	}
	return out
}

// The reference values are printed to 6 decimals.
const refTol = 5e-7 + 1e-12

func checkRef(t *testing.T, what string, s *Space, p Point, d Deal, want refPoint) {
	t.Helper()
	if math.Abs(p.U1-want.U1) > refTol || math.Abs(p.U2-want.U2) > refTol {
		t.Errorf("%s = (%.6f, %.6f), want (%.6f, %.6f)", what, p.U1, p.U2, want.U1, want.U2)
	}
	if got := strings.Join(dealValues(s, d), " | "); got != strings.Join(want.Values, " | ") {
		t.Errorf("%s deal = %s, want %s", what, got, strings.Join(want.Values, " | "))
	}
}

// TestGeniusReference checks every value of reference_solutions.json, which
// was computed independently of parley, NegMAS and Genius.
func TestGeniusReference(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "genius", "reference_solutions.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref map[string]refDomain
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	for _, c := range geniusCases {
		t.Run(c.name, func(t *testing.T) {
			want := ref[c.name]
			s := readGeniusCase(t, c)
			a, err := Analyse(s, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Outcomes != want.NOutcomes {
				t.Errorf("outcomes = %d, want %d", a.Outcomes, want.NOutcomes)
			}
			for i, name := range want.Issues {
				if s.Issues[i].Name != name {
					t.Errorf("issue %d = %q, want %q", i, s.Issues[i].Name, name)
				}
			}
			for p := range 2 {
				if s.Parties[p].Reservation != want.Reserved[p] {
					t.Errorf("party %d reservation = %g, want %g", p+1, s.Parties[p].Reservation, want.Reserved[p])
				}
				for i := range s.Issues {
					w := want.Weights[p][strconv.Itoa(i+1)]
					if got := s.Parties[p].Valuations[i].Weight; got != w {
						t.Errorf("party %d weight of issue %d = %v, want %v", p+1, i+1, got, w)
					}
				}
			}
			if len(a.Frontier) != len(want.Pareto) {
				t.Fatalf("frontier has %d points, want %d", len(a.Frontier), len(want.Pareto))
			}
			for k, pc := range a.Frontier {
				if !pc.IsPoint() || len(pc.Ties) != 0 {
					t.Errorf("frontier piece %d is not a single outcome: %+v", k, pc)
				}
				checkRef(t, "pareto["+strconv.Itoa(k)+"]", s, pc.From, pc.FromDeal, want.Pareto[k])
			}
			byConcept := map[Concept]Solution{}
			for _, sol := range a.Solutions {
				byConcept[sol.Concept] = sol
			}
			checkRef(t, "Nash", s, byConcept[Nash].Point, byConcept[Nash].Deal, want.Nash)
			checkRef(t, "Kalai–Smorodinsky", s, byConcept[KalaiSmorodinsky].Point, byConcept[KalaiSmorodinsky].Deal, want.KS)
			checkRef(t, "utilitarian", s, byConcept[Utilitarian].Point, byConcept[Utilitarian].Deal, want.Welfare)
		})
	}
}
