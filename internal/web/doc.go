// Package web is parley's local web app and its JSON API: the scenario library, comparisons run in the background with their progress streamed, the audit, traces and the saved run history, served from embedded templates and static files.
//
// The pages are html/template with htmx and uPlot, both vendored under
// static/vendor by scripts/vendor-web.sh; nothing is fetched from elsewhere,
// so the app works offline. Every page has a JSON counterpart under /api/v1,
// described by the OpenAPI document at /api/v1/openapi.json.
package web
