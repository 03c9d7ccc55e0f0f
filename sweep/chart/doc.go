// Package chart draws the charts of sweeps and sensitivity analyses — tornado charts, estimates with intervals, response curves with bands and heat maps — as SVG or PNG.
package chart
