package twin

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// errUnmodelled marks a schedule the CronJob controller accepts but the
// twin does not model; the twin says so instead of guessing.
var errUnmodelled = errors.New("not modelled by the twin")

// schedule is a standard five-field cron schedule (minute, hour, day of
// month, month, day of week) as kube-controller-manager parses it with
// github.com/robfig/cron/v3 ParseStandard: each field is *, a number, a
// range a-b, any of them with a step /n, or a comma-separated list of
// those; ? stands for * in the day fields; @yearly, @monthly, @weekly,
// @daily and @hourly stand for their five fields. Names of months and
// days, @every and TZ= prefixes are valid upstream but not modelled.
type schedule struct {
	minute, hour, dom, month, dow uint64 // bit i set: value i matches
	// domStar and dowStar: the field was * or ?. When neither is, a day
	// matches if either field does, as in cron.
	domStar, dowStar bool
	loc              *time.Location
}

// field bounds, in the order of the five fields.
var cronFields = []struct {
	name     string
	min, max int
}{
	{"minute", 0, 59}, {"hour", 0, 23}, {"day of month", 1, 31}, {"month", 1, 12}, {"day of week", 0, 6},
}

// cronDescriptors are the @ forms ParseStandard accepts besides @every.
var cronDescriptors = map[string]string{
	"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
	"@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}

// parseSchedule parses spec in loc. An error wrapping errUnmodelled is a
// schedule the twin cannot run; any other is one the controller rejects.
func parseSchedule(spec string, loc *time.Location) (*schedule, error) {
	spec = strings.TrimSpace(spec)
	switch {
	case strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ="):
		return nil, fmt.Errorf("a time zone in the schedule is %w: use spec.timeZone", errUnmodelled)
	case strings.HasPrefix(spec, "@every"):
		return nil, fmt.Errorf("@every is %w", errUnmodelled)
	case strings.HasPrefix(spec, "@"):
		five, ok := cronDescriptors[spec]
		if !ok {
			return nil, fmt.Errorf("unrecognized descriptor: %s", spec)
		}
		spec = five
	}
	fields := strings.Fields(spec)
	if len(fields) != 5 {
		return nil, fmt.Errorf("expected exactly 5 fields, found %d: %s", len(fields), spec)
	}
	s := &schedule{loc: loc}
	sets := []*uint64{&s.minute, &s.hour, &s.dom, &s.month, &s.dow}
	for i, f := range fields {
		set, star, err := parseCronField(f, cronFields[i].min, cronFields[i].max, i >= 2 && i != 3)
		if err != nil {
			return nil, fmt.Errorf("%s field %q: %w", cronFields[i].name, f, err)
		}
		*sets[i] = set
		switch i {
		case 2:
			s.domStar = star
		case 4:
			s.dowStar = star
		}
	}
	return s, nil
}

// parseCronField parses one field into a bit set; star reports * (or ?,
// where question is allowed).
func parseCronField(f string, min, max int, question bool) (set uint64, star bool, err error) {
	for _, part := range strings.Split(f, ",") {
		bits, isStar, err := parseCronRange(part, min, max, question)
		if err != nil {
			return 0, false, err
		}
		set |= bits
		star = star || isStar
	}
	return set, star, nil
}

func parseCronRange(part string, min, max int, question bool) (uint64, bool, error) {
	rng, stepText, hasStep := strings.Cut(part, "/")
	lo, hi, star := min, max, false
	switch {
	case rng == "*" || (question && rng == "?"):
		star = true
	default:
		a, b, isRange := strings.Cut(rng, "-")
		var err error
		if lo, err = cronNumber(a, min, max); err != nil {
			return 0, false, err
		}
		hi = lo
		if isRange {
			if hi, err = cronNumber(b, min, max); err != nil {
				return 0, false, err
			}
		} else if hasStep {
			hi = max
		}
		if lo > hi {
			return 0, false, fmt.Errorf("beginning of range (%d) beyond end of range (%d)", lo, hi)
		}
	}
	step := 1
	if hasStep {
		n, err := strconv.Atoi(stepText)
		if err != nil || n <= 0 {
			return 0, false, fmt.Errorf("step %q is not a positive number", stepText)
		}
		step, star = n, star && n == 1
	}
	var bits uint64
	for v := lo; v <= hi; v += step {
		bits |= 1 << uint(v)
	}
	return bits, star, nil
}

func cronNumber(s string, min, max int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		if s != "" && (s[0] < '0' || s[0] > '9') {
			return 0, fmt.Errorf("the name %q is %w: use numbers", s, errUnmodelled)
		}
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if n < min || n > max {
		return 0, fmt.Errorf("%d is out of range [%d, %d]", n, min, max)
	}
	return n, nil
}

// next is the first time after t that the schedule fires, or the zero
// time when it never does (31 February) within five years, as robfig/cron
// gives up.
func (s *schedule) next(t time.Time) time.Time {
	t = t.In(s.loc).Truncate(time.Minute).Add(time.Minute)
	limit := t.AddDate(5, 0, 0)
	for t.Before(limit) {
		switch {
		case s.month&(1<<uint(t.Month())) == 0:
			t = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, s.loc)
		case !s.dayMatches(t):
			t = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, s.loc)
		case s.hour&(1<<uint(t.Hour())) == 0:
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour()+1, 0, 0, 0, s.loc)
		case s.minute&(1<<uint(t.Minute())) == 0:
			t = t.Add(time.Minute)
		default:
			return t
		}
	}
	return time.Time{}
}

func (s *schedule) dayMatches(t time.Time) bool {
	dom := s.dom&(1<<uint(t.Day())) != 0
	dow := s.dow&(1<<uint(t.Weekday())) != 0
	if s.domStar || s.dowStar {
		return dom && dow
	}
	return dom || dow
}

// maxMissed is how many missed start times the controller counts before it
// warns and starts only the most recent (utils.go mostRecentScheduleTime).
const maxMissed = 100

// mostRecent returns the latest time in (earliest, now] the schedule
// fires, zero if none, and whether more than maxMissed were missed.
func (s *schedule) mostRecent(earliest, now time.Time) (time.Time, bool) {
	var last time.Time
	missed := 0
	for t := s.next(earliest); !t.IsZero() && !t.After(now); t = s.next(t) {
		last = t
		missed++
	}
	return last, missed > maxMissed
}
