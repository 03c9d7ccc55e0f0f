package browsertests

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/parleyhq/parley/scenario"
)

// editedName is the name the test gives its scenario.
const editedName = "browser-edit"

// shownProblem is one problem as the editor lists it.
type shownProblem struct {
	Where string `json:"where"` // the button's text: "line L:C"
	Line  string `json:"line"`  // its data-line
	Path  string `json:"path"`
	Msg   string `json:"msg"`
}

const readProblems = `Array.from(document.querySelectorAll("#problems ol.problems li"), li => ({
  where: li.querySelector("button.goto") ? li.querySelector("button.goto").textContent : "",
  line: li.querySelector("button.goto") ? li.querySelector("button.goto").dataset.line : "",
  path: li.querySelector("code") ? li.querySelector("code").textContent : "",
  msg: li.querySelector(".msg").textContent
}))`

// The editor checks the text as it is typed: a typo typed into a
// disposition is reported at its line, with the loader's own message (the
// same as scenario.Load gives); its button moves the cursor to that line; a
// save with the error is refused; once fixed, the scenario saves, survives
// a reload, is listed in the library and opens again in the editor with the
// text exactly as saved.
func TestEditorReportsAndSaves(t *testing.T) {
	b := newBrowser(t)
	srv := startServer(t)

	b.load("opening the library", chromedp.Navigate(srv.URL+"/scenarios"))
	b.load("opening a new scenario", chromedp.Click(chromedp.CSS(`a.button[href="/scenarios/new"]`)))
	starter := get(b, "reading the editor", chromedp.Value(chromedp.ID("source")))
	if !strings.Contains(starter, "\nname: tiny\n") {
		t.Fatalf("the new scenario does not start from the tiny built-in:\n%s", starter)
	}
	good := strings.Replace(starter, "\nname: tiny\n", "\nname: "+editedName+"\n", 1)
	b.do("renaming the scenario", chromedp.SetValue(chromedp.ID("source"), good))

	// put the caret after the first "reciprocator" and type one letter
	word := "disposition: reciprocator"
	at := strings.Index(good, word)
	if at < 0 {
		t.Fatalf("the starter has no %q", word)
	}
	caret := at + len(word)
	errLine := strings.Count(good[:caret], "\n") + 1
	bad := good[:caret] + "x" + good[caret:]
	b.do("typing an error",
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const ta = document.getElementById("source"); ta.focus(); ta.setSelectionRange(%d, %d); })()`, caret, caret)),
		chromedp.SendKeys(chromedp.ID("source"), "x"),
		chromedp.WaitVisible(chromedp.CSS("#problems ol.problems li .msg")),
	)
	if v := get(b, "reading the editor", chromedp.Value(chromedp.ID("source"))); v != bad {
		t.Fatalf("after typing, the editor holds\n%s\nwant\n%s", v, bad)
	}
	want := loaderProblems(t, bad)
	got := get(b, "reading the problems", chromedp.Evaluate[[]shownProblem](readProblems))
	if len(got) != len(want) {
		t.Fatalf("the editor lists %d problems %+v, the loader %d: %v", len(got), got, len(want), want)
	}
	for i, w := range want {
		g := got[i]
		if g.Where != fmt.Sprintf("line %d:%d", w.Line, w.Column) || g.Path != w.Path || g.Msg != w.Msg {
			t.Errorf("problem %d is shown as %q %q %q, the loader says line %d:%d %q %q", i, g.Where, g.Path, g.Msg, w.Line, w.Column, w.Path, w.Msg)
		}
	}
	if want[0].Line != errLine {
		t.Errorf("the loader puts the typo at line %d, it was typed on line %d", want[0].Line, errLine)
	}
	if !strings.Contains(want[0].Msg, "reciprocatorx") {
		t.Errorf("the message %q does not name the wrong value", want[0].Msg)
	}

	// the problem's button puts the caret on its line
	b.do("moving the cursor to the problem",
		chromedp.Evaluate[chromedp.Void](`document.getElementById("source").setSelectionRange(0, 0)`),
		chromedp.Click(chromedp.CSS("#problems button.goto")),
	)
	caretLine := get(b, "reading the caret", chromedp.Evaluate[int](`(() => { const ta = document.getElementById("source"); return ta.value.slice(0, ta.selectionStart).split("\n").length; })()`))
	if caretLine != errLine {
		t.Errorf("the problem's button puts the caret on line %d, want %d", caretLine, errLine)
	}

	// saving with the error is refused, and the text is kept
	b.expectConsole(`status of 422 \(Unprocessable Entity\)`)
	if st := b.load("saving with the error", chromedp.Click(chromedp.CSS(`form.editor button[type="submit"]`))); st != http.StatusUnprocessableEntity {
		t.Errorf("saving with an error answers %d, want 422", st)
	}
	if again := get(b, "reading the problems", chromedp.Evaluate[[]shownProblem](readProblems)); len(again) != len(want) || again[0] != got[0] {
		t.Errorf("after the refused save the editor lists %+v, want %+v", again, got)
	}
	if v := get(b, "reading the editor", chromedp.Value(chromedp.ID("source"))); v != bad {
		t.Errorf("after a refused save the editor holds\n%s\nwant the text as typed", v)
	}
	if n := len(listScenarios(t, srv)); n != 0 {
		t.Errorf("a scenario with an error was saved: the store has %d", n)
	}

	// fix it: delete the letter again
	b.do("fixing the error",
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const ta = document.getElementById("source"); ta.focus(); ta.setSelectionRange(%d, %d); })()`, caret+1, caret+1)),
		chromedp.SendKeys(chromedp.ID("source"), kb.Backspace),
		chromedp.WaitVisible(chromedp.CSS("#problems p.ok")),
	)
	ok := get(b, "reading the check", chromedp.Text(chromedp.CSS("#problems p.ok")))
	if ok != "Valid: 2 actors, 2 roadmaps." {
		t.Errorf("the fixed scenario is reported as %q, want %q", ok, "Valid: 2 actors, 2 roadmaps.")
	}
	if st := b.load("saving", chromedp.Click(chromedp.CSS(`form.editor button[type="submit"]`))); st != http.StatusOK {
		t.Errorf("saving the fixed scenario ends on a page with status %d, want 200", st)
	}
	loc := get(b, "reading the address", chromedp.Location())
	m := regexp.MustCompile(`/scenarios/(\d+)$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("after saving the page is %s, want /scenarios/ID", loc)
	}
	key := m[1]

	b.load("reloading", chromedp.Reload())
	meta := get(b, "reading the scenario", chromedp.Evaluate[map[string]string](`Object.fromEntries(Array.from(document.querySelectorAll("dl.meta dt"), dt => [dt.textContent, dt.nextElementSibling.textContent]))`))
	if meta["Name"] != editedName || meta["Key"] != key {
		t.Errorf("after a reload the scenario page shows name %q key %q, want %q %q", meta["Name"], meta["Key"], editedName, key)
	}

	b.load("opening the library", chromedp.Navigate(srv.URL+"/scenarios"))
	mine := get(b, "reading the library", chromedp.Evaluate[[][]string](`(() => {
  const h = Array.from(document.querySelectorAll("main h2")).find(h => h.textContent === "Your scenarios");
  return Array.from(h.nextElementSibling.querySelectorAll("li > a"), a => [a.textContent, a.getAttribute("href")]);
})()`))
	if len(mine) != 1 || mine[0][0] != editedName || mine[0][1] != "/scenarios/"+key {
		t.Errorf("the library lists your scenarios as %q, want [[%s /scenarios/%s]]", mine, editedName, key)
	}

	b.load("opening it from the library", chromedp.Click(chromedp.CSS(`a[href="/scenarios/`+key+`"]`)))
	b.load("opening it in the editor", chromedp.Click(chromedp.CSS(`a.button[href="/scenarios/`+key+`/edit"]`)))
	if v := get(b, "reading the editor", chromedp.Value(chromedp.ID("source"))); v != good {
		t.Errorf("the saved scenario opens in the editor as\n%s\nwant\n%s", v, good)
	}
	if src := exportScenario(t, srv, key); src != good {
		t.Errorf("the API exports the saved scenario as\n%s\nwant\n%s", src, good)
	}
}

// loaderProblems returns what scenario.Load says about src under the
// editor's file name.
func loaderProblems(t *testing.T, src string) []scenario.Problem {
	t.Helper()
	_, err := scenario.Load("scenario.yaml", []byte(src))
	var se *scenario.Error
	if !errors.As(err, &se) || len(se.Problems) == 0 {
		t.Fatalf("scenario.Load of the edited text gives %v, want problems", err)
	}
	return se.Problems
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v\n%s", url, resp.StatusCode, err, body)
	}
	return string(body)
}

// listScenarios returns the keys of the user's scenarios, by the API.
func listScenarios(t *testing.T, srv *server) []string {
	t.Helper()
	var keys []string
	for _, m := range regexp.MustCompile(`"key":\s*"(\d+)"`).FindAllStringSubmatch(httpGet(t, srv.URL+"/api/v1/scenarios"), -1) {
		keys = append(keys, m[1])
	}
	return keys
}

func exportScenario(t *testing.T, srv *server, key string) string {
	t.Helper()
	return httpGet(t, srv.URL+"/api/v1/scenarios/"+key+"/export")
}
