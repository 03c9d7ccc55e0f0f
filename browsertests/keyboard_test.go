package browsertests

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The comparison can be run from the keyboard alone: from the top of the
// page, Tab reaches the number of histories, then the seed, then the button,
// in that order; typing replaces the values and Enter runs it, and the run's
// page opens with the settings typed.
func TestCompareFromTheKeyboard(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t)
	b.do("opening the compare page", chromedp.Navigate(srv.URL+"/scenarios/builtin:korea/compare"), chromedp.WaitVisible(chromedp.ID("runs")))

	focused := func() string {
		return get(b, "reading the focus", chromedp.Evaluate[string](`(document.activeElement.id || document.activeElement.tagName.toLowerCase() + ":" + document.activeElement.textContent.trim())`))
	}
	// Tab until the first field has the focus; the page's links come first
	const maxTabs = 40
	tabs := 0
	for ; tabs < maxTabs && focused() != "runs"; tabs++ {
		b.do("pressing Tab", chromedp.KeyEvent(kb.Tab))
	}
	if tabs == maxTabs {
		t.Fatalf("%d presses of Tab never reached the number of histories", maxTabs)
	}
	b.do("typing the histories", chromedp.KeyEvent(kb.End), chromedp.KeyEvent("\b\b\b\b\b\b\b\b"), chromedp.KeyEvent("150"))
	b.do("pressing Tab", chromedp.KeyEvent(kb.Tab))
	if f := focused(); f != "seed" {
		t.Fatalf("after the histories, Tab went to %q, want the seed", f)
	}
	b.do("typing the seed", chromedp.KeyEvent(kb.End), chromedp.KeyEvent("\b\b\b\b\b\b\b\b"), chromedp.KeyEvent("9"))
	b.do("pressing Tab", chromedp.KeyEvent(kb.Tab))
	if f := focused(); f != "button:Run the comparison" {
		t.Fatalf("after the seed, Tab went to %q, want the button", f)
	}
	b.do("pressing Enter", chromedp.KeyEvent(kb.Enter))
	b.do("waiting for the results", chromedp.WaitVisible(chromedp.CSS("main table caption")))
	loc := get(b, "reading the address", chromedp.Location())
	if !regexp.MustCompile(`/runs/\d+$`).MatchString(loc) {
		t.Fatalf("after Enter the page is %s, want a run", loc)
	}
	meta := get(b, "reading the settings", chromedp.Evaluate[map[string]string](`Object.fromEntries(Array.from(document.querySelectorAll("dl.meta dt"), dt => [dt.textContent, dt.nextElementSibling.textContent]))`))
	if meta["Histories per roadmap"] != strconv.Itoa(150) || meta["Seed"] != "9" {
		t.Errorf("the run has %q histories and seed %q, want 150 and 9 as typed", meta["Histories per roadmap"], meta["Seed"])
	}
}
