// Package chart draws forecasts as SVG or PNG: every actor's position over the rounds of an expected-utility or SMP run, and histograms of a Monte Carlo distribution.
package chart
