package canvas

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/png"
	"io"
	"strings"
	"testing"
)

// decode parses an SVG document to the end with the strict XML decoder
// and returns its character data and the text of its <title> elements.
func decode(t *testing.T, svg string) (texts, titles []string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	dec.Strict = true
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tok.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if s := strings.TrimSpace(string(tok)); s != "" {
				if stack[len(stack)-1] == "title" {
					titles = append(titles, s)
				} else {
					texts = append(texts, s)
				}
			}
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed elements %v", stack)
	}
	return texts, titles
}

func pngOf(t *testing.T, c *Canvas) image.Image {
	t.Helper()
	var b bytes.Buffer
	if err := c.WritePNG(&b); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func rgba(img image.Image, x, y int) [4]uint32 {
	r, g, b, a := img.At(x, y).RGBA()
	return [4]uint32{r >> 8, g >> 8, b >> 8, a >> 8}
}

const hostile = `</text><script>alert("x")</script> & 'q' ]]>`

func TestHostileStrings(t *testing.T) {
	c := New(200, 100)
	c.Title = hostile + " title"
	c.Text(10, 20, hostile, "start", 11, false)
	c.Add(Shape{Kind: Text, Pts: [][2]float64{{10, 40}}, Text: "up " + hostile, Up: true, Title: "tip " + hostile})
	c.Add(Shape{Kind: Rect, Pts: [][2]float64{{0, 0}, {5, 5}}, Fill: `#fff" onload="x`, Title: "rect " + hostile})
	svg := c.SVG()
	if strings.Contains(svg, "<script>") || strings.Contains(svg, `" onload="`) {
		t.Fatalf("unescaped markup in\n%s", svg)
	}
	texts, titles := decode(t, svg)
	wantTexts := []string{strings.TrimSpace(hostile), "up " + strings.TrimSpace(hostile)}
	wantTitles := []string{hostile + " title", "tip " + strings.TrimSpace(hostile), "rect " + strings.TrimSpace(hostile)}
	if strings.Join(texts, "|") != strings.Join(wantTexts, "|") {
		t.Errorf("texts read back as %q, want %q", texts, wantTexts)
	}
	if strings.Join(titles, "|") != strings.Join(wantTitles, "|") {
		t.Errorf("titles read back as %q, want %q", titles, wantTitles)
	}
}

func TestEmpty(t *testing.T) {
	c := New(30, 20)
	svg := c.SVG()
	if texts, titles := decode(t, svg); len(texts)+len(titles) != 0 {
		t.Errorf("an empty canvas holds %q %q", texts, titles)
	}
	if !strings.Contains(svg, `viewBox="0 0 30 20"`) {
		t.Errorf("no viewBox of 30 × 20 in %s", svg)
	}
	img := pngOf(t, c)
	if b := img.Bounds(); b.Dx() != 30 || b.Dy() != 20 {
		t.Fatalf("PNG of %v, want 30 × 20", b)
	}
	if p := rgba(img, 15, 10); p[3] != 0 {
		t.Errorf("an empty canvas has pixel %v, want transparent", p)
	}
}

func TestFilledRect(t *testing.T) {
	c := New(100.5, 60)
	c.Rect(0, 0, 100.5, 60, "#ffffff", "", 0)
	c.Rect(20, 10, 40, 30, "#1f77b4", "#000000", 1)
	c.Add(Shape{Kind: Rect, Pts: [][2]float64{{70, 10}, {90, 30}}, Fill: "#ff0000", Opacity: 0.5})
	img := pngOf(t, c)
	if b := img.Bounds(); b.Dx() != 101 || b.Dy() != 60 {
		t.Fatalf("PNG of %v, want 101 × 60 (the width rounded up)", b)
	}
	if p := rgba(img, 40, 25); p != [4]uint32{0x1f, 0x77, 0xb4, 255} {
		t.Errorf("centre of the rect %v, want #1f77b4", p)
	}
	if p := rgba(img, 20, 25); p[0] > 0x10 || p[1] > 0x10 {
		t.Errorf("the rect's outline %v, want black", p)
	}
	if p := rgba(img, 80, 20); p[0] != 255 || p[1] < 0x7e || p[1] > 0x81 {
		t.Errorf("half-transparent red over white %v, want pink", p)
	}
	if p := rgba(img, 5, 50); p != [4]uint32{255, 255, 255, 255} {
		t.Errorf("background %v, want white", p)
	}
	_, _ = decode(t, c.SVG())
	if !strings.Contains(c.SVG(), `<rect x="20" y="10" width="40" height="30" fill="#1f77b4" stroke="#000000"/>`) {
		t.Errorf("the rect is not written as expected:\n%s", c.SVG())
	}
}

func TestCircleAndLines(t *testing.T) {
	c := New(100, 100)
	c.Circle(30, 30, 10, "#00ff00", "", 0)
	c.Add(Shape{Kind: Line, Pts: [][2]float64{{0, 80}, {100, 80}}, Stroke: "#0000ff", Width: 3, Dash: [2]float64{6, 4}})
	c.Polyline([][2]float64{{10, 60}, {50, 60}, {50, 95}}, "#ff0000", 2)
	img := pngOf(t, c)
	if p := rgba(img, 30, 30); p != [4]uint32{0, 255, 0, 255} {
		t.Errorf("circle's centre %v", p)
	}
	if p := rgba(img, 30, 42); p[3] != 0 {
		t.Errorf("outside the circle %v, want transparent", p)
	}
	if p := rgba(img, 3, 80); p != [4]uint32{0, 0, 255, 255} {
		t.Errorf("in a dash %v, want blue", p)
	}
	if p := rgba(img, 8, 80); p[3] != 0 {
		t.Errorf("in a gap %v, want transparent", p)
	}
	if p := rgba(img, 50, 80-20); p[0] != 255 || p[3] != 255 {
		t.Errorf("at the polyline's join %v, want red", p)
	}
	svg := c.SVG()
	decode(t, svg)
	for _, want := range []string{`stroke-dasharray="6 4"`, `<circle cx="30" cy="30" r="10" fill="#00ff00"/>`, `points="10,60 50,60 50,95"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("no %s in\n%s", want, svg)
		}
	}
}

// ink returns the bounding box of the non-transparent pixels.
func ink(img image.Image) image.Rectangle {
	var r image.Rectangle
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0 {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}

func TestRotatedText(t *testing.T) {
	flat, up := New(200, 200), New(200, 200)
	flat.Text(100, 100, "rotation", "start", 11, false)
	up.Add(Shape{Kind: Text, Pts: [][2]float64{{100, 100}}, Text: "rotation", Up: true})
	f, u := ink(pngOf(t, flat)), ink(pngOf(t, up))
	if f.Dx() <= f.Dy() {
		t.Fatalf("flat text's ink %v is not wide", f)
	}
	if u.Dx() != f.Dy() || u.Dy() != f.Dx() {
		t.Errorf("turned text's ink %v is not the flat one's %v turned", u, f)
	}
	// The turned text reads upwards from its point: it lies above y = 100,
	// its baseline on the right at x = 100.
	if u.Max.Y > 101 || u.Min.Y > 60 || u.Max.X > 104 || u.Min.X < 88 {
		t.Errorf("turned text's ink %v is not above and left of (100, 100)", u)
	}
	svg := up.SVG()
	decode(t, svg)
	if !strings.Contains(svg, `transform="translate(100,100) rotate(-90)"`) {
		t.Errorf("no rotation in %s", svg)
	}
}

func TestNum(t *testing.T) {
	for v, want := range map[float64]string{0: "0", -0.01: "0", 1.25: "1.3", 820: "820", 12.34: "12.3", -3.96: "-4"} {
		if got := num(v); got != want {
			t.Errorf("num(%g) = %s, want %s", v, got, want)
		}
	}
}
