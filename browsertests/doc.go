// Package browsertests drives parley's web app in a headless Chromium: it is a module of its own so
// that parley itself never depends on the browser driver. Everything is in the tests.
package browsertests
