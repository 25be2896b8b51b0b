package twin

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestSchedulesFireWhenCronWould(t *testing.T) {
	for _, tc := range []struct {
		schedule, after, want string
	}{
		{"*/5 * * * *", "2026-12-04T10:02:30Z", "2026-12-04T10:05:00Z"},
		{"*/5 * * * *", "2026-12-04T10:05:00Z", "2026-12-04T10:10:00Z"},
		{"* * * * *", "2026-12-04T10:02:30Z", "2026-12-04T10:03:00Z"},
		{"30 2 * * *", "2026-12-04T10:02:30Z", "2026-12-05T02:30:00Z"},
		{"0,30 9-17/4 * * *", "2026-12-04T13:31:00Z", "2026-12-04T17:00:00Z"},
		{"0 0 1 * *", "2026-12-04T10:00:00Z", "2027-01-01T00:00:00Z"},
		{"0 0 * * 0", "2026-12-04T10:00:00Z", "2026-12-06T00:00:00Z"},
		{"0 0 13 * 5", "2026-12-04T10:00:00Z", "2026-12-11T00:00:00Z"}, // day of month or Friday
		{"@hourly", "2026-12-04T10:02:30Z", "2026-12-04T11:00:00Z"},
	} {
		s, err := parseSchedule(tc.schedule, time.UTC)
		if err != nil {
			t.Errorf("%s: %v", tc.schedule, err)
			continue
		}
		if got := s.next(at(tc.after)); !got.Equal(at(tc.want)) {
			t.Errorf("%s after %s: got %s, want %s", tc.schedule, tc.after, got.Format(time.RFC3339), tc.want)
		}
	}
}

func TestSchedulesTheTwinDoesNotModelAreNamedAsSuch(t *testing.T) {
	for schedule, want := range map[string]string{
		"0 9 * * MON":             "not modelled",
		"@every 5m":               "not modelled",
		"TZ=Europe/Paris 0 9 * *": "not modelled",
		"*/5 * * *":               "expected exactly 5 fields",
		"61 * * * *":              "out of range",
		"*/0 * * * *":             "not a positive number",
		"5-1 * * * *":             "beyond end of range",
	} {
		_, err := parseSchedule(schedule, time.UTC)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", schedule, err, want)
		}
		if unmodelled := errors.Is(err, errUnmodelled); unmodelled != (want == "not modelled") {
			t.Errorf("%q: unmodelled %v", schedule, unmodelled)
		}
	}
}

func TestTheMostRecentMissedStartIsTheOneToRun(t *testing.T) {
	s, err := parseSchedule("*/5 * * * *", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	got, tooMany := s.mostRecent(at("2026-12-04T10:02:00Z"), at("2026-12-04T10:17:00Z"))
	if !got.Equal(at("2026-12-04T10:15:00Z")) || tooMany {
		t.Errorf("got %s (too many %v), want 10:15", got, tooMany)
	}
	if got, _ := s.mostRecent(at("2026-12-04T10:02:00Z"), at("2026-12-04T10:04:59Z")); !got.IsZero() {
		t.Errorf("a start before the first scheduled time: got %s", got)
	}
	if _, tooMany := s.mostRecent(at("2026-12-01T00:00:00Z"), at("2026-12-04T00:00:00Z")); !tooMany {
		t.Error("three days of five-minute starts missed are not too many")
	}
	never, err := parseSchedule("0 0 31 2 *", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if got := never.next(at("2026-12-04T10:00:00Z")); !got.IsZero() {
		t.Errorf("31 February fires at %s", got)
	}
}
