package history

import (
	"errors"
	"image/color"
	"io"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Panel geometry: one panel per metric, stacked, wide enough for a few
// hundred runs to stay readable.
const (
	panelWidth  = 9 * vg.Inch
	panelHeight = 2.6 * vg.Inch
)

// Marker colours; MarkerColor is exported so a test can count the marked
// regressions in the SVG.
var (
	MarkerColor       = color.RGBA{R: 0xD6, G: 0x27, B: 0x28, A: 0xFF} // regression
	improvementColor  = color.RGBA{R: 0x2C, G: 0xA0, B: 0x2C, A: 0xFF}
	acknowledgedColor = color.RGBA{R: 0x7F, G: 0x7F, B: 0x7F, A: 0xFF}
	transientColor    = color.RGBA{R: 0xFF, G: 0x7F, B: 0x0E, A: 0xFF}
	unconfirmedColor  = color.RGBA{R: 0x94, G: 0x67, B: 0xBD, A: 0xFF}
	seriesColor       = color.RGBA{R: 0x1F, G: 0x77, B: 0xB4, A: 0xFF}
)

// WriteSVG draws each metric of res over its runs in time order, one panel
// per metric titled with its name, with every reported change point marked
// on the first run at the new level.
func WriteSVG(w io.Writer, res Result) error {
	if len(res.Metrics) == 0 {
		return errors.New("no metrics to plot")
	}
	plots := make([][]*plot.Plot, len(res.Metrics))
	for i, m := range res.Metrics {
		p, err := panel(res, m)
		if err != nil {
			return err
		}
		plots[i] = []*plot.Plot{p}
	}
	c := vgsvg.New(panelWidth, panelHeight*vg.Length(len(plots)))
	tiles := draw.Tiles{Rows: len(plots), Cols: 1, PadTop: vg.Points(6), PadBottom: vg.Points(6),
		PadLeft: vg.Points(6), PadRight: vg.Points(12), PadY: vg.Points(14)}
	canvases := plot.Align(plots, tiles, draw.New(c))
	for i := range plots {
		plots[i][0].Draw(canvases[i][0])
	}
	_, err := c.WriteTo(w)
	return err
}

// panel plots one metric: the runs that have it as a line, change points as
// filled circles coloured by status.
func panel(res Result, metric string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = metric
	p.X.Label.Text = "run (time order)"
	p.Y.Label.Text = "ms"
	p.X.Tick.Marker = plainTicks{}
	p.Y.Tick.Marker = plainTicks{}
	line, err := plotter.NewLine(values(res, metric))
	if err != nil {
		return nil, err
	}
	line.Color = seriesColor
	p.Add(line)
	for status, pts := range markers(res, metric) {
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: statusColor(status), Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
		p.Add(s)
	}
	return p, nil
}

func values(res Result, metric string) plotter.XYs {
	var xys plotter.XYs
	for i, r := range res.Runs {
		if v, ok := r.Values[metric]; ok {
			xys = append(xys, plotter.XY{X: float64(i), Y: v})
		}
	}
	return xys
}

// markers groups a metric's change points by status; each is drawn at the
// (filled) value of its run.
func markers(res Result, metric string) map[Status]plotter.XYs {
	out := map[Status]plotter.XYs{}
	x := res.Series[metric]
	for _, pt := range res.Points {
		if pt.Metric == metric {
			out[pt.Status] = append(out[pt.Status], plotter.XY{X: float64(pt.Run), Y: x[pt.Run]})
		}
	}
	return out
}

func statusColor(s Status) color.Color {
	switch s {
	case Improvement:
		return improvementColor
	case Acknowledged:
		return acknowledgedColor
	case Transient:
		return transientColor
	case Unconfirmed:
		return unconfirmedColor
	}
	return MarkerColor
}

// plainTicks are gonum's default ticks labelled without trailing zeros: run
// 25, not 25.00.
type plainTicks struct{}

func (plainTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'f', -1, 64)
		}
	}
	return ticks
}
