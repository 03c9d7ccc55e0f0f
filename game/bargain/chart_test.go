package bargain

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/raster"
)

// wellFormed reports whether b parses as XML.
func wellFormed(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := dec.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// TestChart draws every kind of space and checks what the picture holds;
// the Laptop chart is also kept in testdata as a golden file.
func TestChart(t *testing.T) {
	laptop, _ := Analyse(readGeniusCase(t, geniusCases[0]), Options{Power: 0.7})
	logroll, _ := Analyse(pie([]float64{0.6, 0.4}, []float64{0.2, 0.8}), Options{})
	big, _ := Analyse(millionSpace(), Options{})
	s := pie([]float64{0.6, 0.4}, []float64{0.2, 0.8})
	s.Parties[0].Reservation, s.Parties[1].Reservation = 0.9, 0.9
	none, _ := Analyse(s, Options{})
	proposal, err := logroll.Assess(Deal{0.5, 0.5})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		a    *Analysis
		p    *Assessment
		want []string
	}{
		{"laptop", laptop, nil, []string{"every outcome (27)", "Pareto frontier (4 points)", "Nash (1.000, 0.815)", "asymmetric Nash (power 0.7)", "Kalai–Smorodinsky (0.874, 0.874)", "reservation values (0.000, 0.000)", "utility of Laptop-C-prof1"}},
		{"logroll", logroll, proposal, []string{"feasible deals", "Pareto frontier (2 segments)", "<polyline", "proposed deal (0.500, 0.500)", "egalitarian (0.667, 0.667)"}},
		{"million", big, nil, []string{"every outcome (1000000, binned)"}},
		{"no zopa", none, nil, []string{"no zone of possible agreement"}},
	} {
		var b bytes.Buffer
		if err := c.a.WriteSVG(&b, c.p); err != nil {
			t.Fatal(err)
		}
		if err := wellFormed(b.Bytes()); err != nil {
			t.Errorf("%s: not well-formed XML: %v", c.name, err)
		}
		for _, w := range c.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: the chart does not contain %q", c.name, w)
			}
		}
		if n := strings.Count(b.String(), "<circle"); c.name == "laptop" && n < 27+4 {
			t.Errorf("laptop: %d circles, want one per outcome and frontier point", n)
		}
		if c.name == "million" && b.Len() > 2<<20 {
			t.Errorf("the chart of 10^6 outcomes has %d bytes", b.Len())
		}
		if c.name == "laptop" {
			golden := filepath.Join("testdata", "laptop.svg")
			if *update {
				os.WriteFile(golden, b.Bytes(), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("the Laptop chart differs from %s (rerun with -update to accept)", golden)
			}
		}
	}
}

// TestChartPNG rasterises the Laptop chart and checks pixels where the
// scene puts things.
func TestChartPNG(t *testing.T) {
	a, _ := Analyse(readGeniusCase(t, geniusCases[0]), Options{})
	var b bytes.Buffer
	if err := a.WritePNG(&b, nil); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 820 || img.Bounds().Dy() != 500 {
		t.Fatalf("size %v", img.Bounds())
	}
	at := func(x, y float64) [3]uint32 {
		r, g, bl, _ := img.At(int(x), int(y)).RGBA()
		return [3]uint32{r >> 8, g >> 8, bl >> 8}
	}
	// The plot runs from 0 to 1 on both axes, 400 pixels from (64, 40).
	X := func(u float64) float64 { return 64 + 400*u }
	Y := func(u float64) float64 { return 40 + 400*(1-u) }
	if c := at(700, 480); c != [3]uint32{255, 255, 255} {
		t.Errorf("background %v, want white", c)
	}
	// The first frontier point, (0.725620, 1.000052), is a red dot.
	if c := at(X(0.72562), Y(1.000052)); c != [3]uint32{0xd6, 0x27, 0x28} {
		t.Errorf("frontier point %v, want red", c)
	}
	// An outcome that is not on the frontier, (0.409348, 0.352664), is grey.
	if c := at(X(0.409348), Y(0.352664)); c[0] != c[1] || c[0] < 0x90 || c[0] > 0xd0 {
		t.Errorf("outcome %v, want grey", c)
	}
	// The Kalai–Smorodinsky square, (0.874024, 0.874024), is green below
	// the egalitarian triangle drawn over it.
	if c := at(X(0.874024)+5, Y(0.874024)+5.5); c[1] < 0x90 || c[0] > 0x60 {
		t.Errorf("Kalai–Smorodinsky marker %v, want green", c)
	}
	// The reservation cross at the origin is black.
	if c := at(X(0), Y(0)); c[0] > 0x40 || c[1] > 0x40 {
		t.Errorf("reservation point %v, want black", c)
	}
}

func TestASCIIText(t *testing.T) {
	if got := raster.ASCII("Kalai–Smorodinsky δ1 × Zürich ☃"); got != "Kalai-Smorodinsky d1 x Zurich ?" {
		t.Errorf("got %q", got)
	}
}
