module github.com/parleyhq/parley/browsertests

go 1.26.8

require (
	github.com/chromedp/cdproto v0.159.0
	github.com/chromedp/chromedp v0.23.0
	github.com/parleyhq/parley v0.0.0
)

require (
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	github.com/goccy/go-yaml v1.19.2 // indirect
	golang.org/x/image v0.25.0 // indirect
)

replace github.com/parleyhq/parley => ../
