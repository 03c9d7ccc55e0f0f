// Package uncertainty runs a forecasting model many times on randomly perturbed copies of its input and summarises the distribution of the forecast.
package uncertainty
