package changepoint

import "math"

// regIncBeta is the regularized incomplete beta function I_x(a, b), from its
// continued fraction (DLMF 8.17.22) evaluated with the modified Lentz
// method. The fraction converges fast for x < (a+1)/(a+b+2); above that the
// symmetry I_x(a, b) = 1 − I_{1−x}(b, a) moves x back into that range.
func regIncBeta(a, b, x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	case x > (a+1)/(a+b+2):
		return 1 - regIncBeta(b, a, 1-x)
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log1p(-x))
	return front * betaFraction(a, b, x) / a
}

// betaFraction evaluates 1/(1+ d1/(1+ d2/(1+ …))) where
//
//	d(2k+1) = −(a+k)(a+b+k)x / ((a+2k)(a+2k+1))
//	d(2k)   = k(b−k)x / ((a+2k−1)(a+2k))
func betaFraction(a, b, x float64) float64 {
	const (
		tiny    = 1e-300
		eps     = 1e-15
		maxTerm = 10000
	)
	f, c, d := 1.0, 1.0, 0.0
	for j := 1; j <= maxTerm; j++ {
		k := float64(j / 2)
		var dj float64
		if j%2 == 1 {
			dj = -(a + k) * (a + b + k) * x / ((a + 2*k) * (a + 2*k + 1))
		} else {
			dj = k * (b - k) * x / ((a + 2*k - 1) * (a + 2*k))
		}
		d = 1 + dj*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + dj/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		delta := c * d
		f *= delta
		if math.Abs(delta-1) < eps {
			break
		}
	}
	return 1 / f
}
