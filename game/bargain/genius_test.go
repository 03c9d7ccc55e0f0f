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

// TestGeniusErrors checks that malformed or inconsistent Genius files are
// reported with file, line and column.
func TestGeniusErrors(t *testing.T) {
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "genius", "Laptop", p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	domain, prof1, prof2 := read("Laptop-C-domain.xml"), read("Laptop-C-prof1.xml"), read("Laptop-C-prof2.xml")
	for _, c := range []struct {
		name      string
		file      int // 0 domain, 1 and 2 the profiles
		old, new_ string
		want      []string
	}{
		{"mismatched tag", 0, "        </item>\n    </issue>", "        </item>\n    </isue>", []string{"domain.xml:11:5: invalid XML: element <issue> closed by </isue>"}},
		{"truncated", 1, "</utility_space>", "", []string{"p1.xml:", "invalid XML: unexpected EOF"}},
		{"bad attribute", 2, `<item index="1" value="Dell"  cost="0"  evaluation="12"`, `<item index="1" value="Dell"  cost="0"  evaluation=12`, []string{"p2.xml:4:", "invalid XML: unquoted or missing attribute value in element"}},
		{"wrong root", 0, "negotiation_template>", "negotiation>", []string{"domain.xml:1:1: the root element is <negotiation>"}},
		{"unknown value", 1, `value="Dell"  cost="0"  evaluation="12"`, `value="Del"  cost="0"  evaluation="12"`, []string{`p1.xml:4:1: issue "Laptop" has no value "Del" in the domain`, `p1.xml:3:1: issue "Laptop": no evaluation for "Dell"`}},
		{"bad evaluation", 2, `evaluation="30" description="quality laptop"`, `evaluation="lots" description="quality laptop"`, []string{`p2.xml:6:1: <item value="Macintosh">: evaluation="lots" is not a number`}},
		{"missing weight", 1, `<weight index="3" value="0.1767567099260568">`, `<weight index="4" value="0.1767567099260568">`, []string{`p1.xml:19:1: issue "External Monitor" has no <weight index="3">`}},
		{"unknown issue", 2, `name="Harddisk"`, `name="Hard disk"`, []string{`p2.xml:11:1: issue "Hard disk" is not in the domain`, `p2.xml:2:1: issue "Harddisk" of the domain is not valued in this profile`}},
		{"no items", 0, `<item index="1" value="Dell" cost="0" description="Dell">
        </item>
        <item index="2" value="Macintosh" cost="0" description="Macintosh">
        </item>
        <item index="3" value="HP" cost="0" description="HP">
        </item>`, "", []string{`domain.xml:4:5: discrete issue "Laptop" has no <item> values`}},
		{"bad discount", 1, `<discount_factor value="1.00" />`, `<discount_factor value="1.5" />`, []string{"p1.xml:34:1: <discount_factor> must be in [0, 1]"}},
		{"issue type", 0, `name="Harddisk" type="discrete"`, `name="Harddisk" type="objective"`, []string{`domain.xml:12:5: issue "Harddisk" has type "objective"; parley reads discrete, integer and real issues`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := []string{domain, prof1, prof2}
			if !strings.Contains(files[c.file], c.old) {
				t.Fatalf("file %d has no %q", c.file, c.old)
			}
			files[c.file] = strings.Replace(files[c.file], c.old, c.new_, 1)
			if c.name == "wrong root" {
				files[c.file] = strings.ReplaceAll(files[c.file], c.old, c.new_)
			}
			_, err := ReadGenius(Source{"domain.xml", []byte(files[0])}, [2]Source{{"p1.xml", []byte(files[1])}, {"p2.xml", []byte(files[2])}})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nwant it to contain %q", err, w)
				}
			}
		})
	}
}

// TestGeniusNumericIssues reads an integer and a real issue with linear
// evaluators, in both of Genius's spellings.
func TestGeniusNumericIssues(t *testing.T) {
	domain := `<negotiation_template><utility_space><objective index="0" name="o">
  <issue index="1" name="days" type="integer" lowerbound="1" upperbound="3"/>
  <issue index="2" name="price" type="real"><range lowerbound="0" upperbound="10"/></issue>
</objective></utility_space></negotiation_template>`
	p1 := `<utility_space><objective index="0" name="o">
  <issue index="1" name="days" type="integer"><evaluator ftype="linear" slope="0.5" offset="-0.5"/></issue>
  <issue index="2" name="price" type="real"><evaluator ftype="linear" parameter0="0" parameter1="0.1"/></issue>
  <weight index="1" value="0.4"/><weight index="2" value="0.6"/>
</objective><reservation value="0.25"/><discount_factor value="0"/></utility_space>`
	p2 := `<utility_space><objective index="0" name="o">
  <issue index="1" name="days" type="integer"><evaluator ftype="linear" slope="-0.25" offset="1"/></issue>
  <issue index="2" name="price" type="real"><evaluator ftype="linear" slope="-0.05" offset="0.9"/></issue>
  <weight index="1" value="0.5"/><weight index="2" value="0.5"/>
</objective><discount_factor value="0.8"/></utility_space>`
	s, err := ReadGenius(Source{"d.xml", []byte(domain)}, [2]Source{{"one.xml", []byte(p1)}, {"two.xml", []byte(p2)}})
	if err != nil {
		t.Fatal(err)
	}
	days, price := s.Issues[0], s.Issues[1]
	if days.Divisible || strings.Join(days.Values, ",") != "1,2,3" || !price.Divisible || price.Min != 0 || price.Max != 10 {
		t.Fatalf("issues %+v", s.Issues)
	}
	v := s.Parties[0].Valuations
	if v[0].Scores[0] != 0 || v[0].Scores[2] != 1 || v[1].AtMin != 0 || v[1].AtMax != 1 || v[1].Weight != 0.6 {
		t.Errorf("party 1 valuations %+v", v)
	}
	w := s.Parties[1].Valuations
	if w[0].Scores[0] != 0.75 || w[0].Scores[2] != 0.25 || w[1].AtMin != 0.9 || !near(w[1].AtMax, 0.4, 1e-15) {
		t.Errorf("party 2 valuations %+v", w)
	}
	if s.Parties[0].Reservation != 0.25 || s.Parties[0].Discount != 1 || s.Parties[1].Discount != 0.8 || s.Parties[0].Name != "one" {
		t.Errorf("parties %+v", s.Parties)
	}
	// A linear evaluation that leaves [0, 1] on the range is clipped by
	// Genius, so it is not linear.
	bad := strings.Replace(p2, `slope="-0.05" offset="0.9"`, `slope="-0.05" offset="1.2"`, 1)
	_, err = ReadGenius(Source{"d.xml", []byte(domain)}, [2]Source{{"one.xml", []byte(p1)}, {"two.xml", []byte(bad)}})
	if err == nil || !strings.Contains(err.Error(), `two.xml:3:45: issue "price": the evaluation runs from 1.2 to 0.7`) {
		t.Errorf("error %v", err)
	}
}
