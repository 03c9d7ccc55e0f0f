// Package baseline computes the simple forecasts the literature finds hard to beat — the capability×salience weighted mean, the weighted median and the pairwise-vote (Condorcet) winner — on each dimension of a forecasting input.
package baseline
