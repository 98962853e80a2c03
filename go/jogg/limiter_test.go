package jogg

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// A create that needs no catalogue lookup: the mock's first avatar and a voice it has.
const aCreate = `{"script": "Hello!", "avatar_id": 81, "avatar_type": 0,
	"voice_id": "en-US-ChristopherNeural", "screen_style": 1}`

// startMock starts a jogg-mock of the test's own with args (a POST limit, faults...): its base
// URL. It is stopped when the test ends.
func startMock(t *testing.T, args ...string) string {
	t.Helper()
	mock := exec.Command(mockBinary(), args...)
	stderr, err := mock.StderrPipe()
	if err == nil {
		err = mock.Start()
	}
	if err != nil {
		t.Fatalf("jogg-mock %v: %v", args, err)
	}
	t.Cleanup(func() {
		mock.Process.Kill()
		mock.Wait()
	})
	// The mock's first line, on stderr: "jogg-mock listening on http://127.0.0.1:PORT".
	reader := bufio.NewReader(stderr)
	line, err := reader.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "jogg-mock listening on ") {
		t.Fatalf("jogg-mock %v said %q (%v)", args, line, err)
	}
	go io.Copy(io.Discard, reader) // whatever else it says must not fill the pipe
	return strings.TrimSpace(line[strings.LastIndex(line, " ")+1:])
}

// mockRequest is one request in the mock's log. The mock answers its own rate limit as the API
// does, HTTP 200 with the envelope's code 429; a fault's 429 is an HTTP 429.
type mockRequest struct {
	HTTPStatus int    `json:"http_status"`
	APICode    int    `json:"api_code"`
	Created    string `json:"created"`
}

// mockPosts is the POSTs the mock at base received, from its control API.
func mockPosts(t *testing.T, base string) []mockRequest {
	t.Helper()
	reply, err := http.Get(base + "/_mock/requests?method=POST")
	if err != nil {
		t.Fatal(err)
	}
	defer reply.Body.Close()
	var log struct {
		Count    int           `json:"count"`
		Requests []mockRequest `json:"requests"`
	}
	if err := json.NewDecoder(reply.Body).Decode(&log); err != nil || log.Count != len(log.Requests) {
		t.Fatalf("GET /_mock/requests: %d %v %+v", reply.StatusCode, err, log)
	}
	return log.Requests
}

// limitedConfig points a client at the mock at base, paced at 3 POSTs a second as the mock
// counts them, with no retry: a 429 would fail the create instead of being waited out.
func limitedConfig(base string) string {
	return fmt.Sprintf(`{"base_url": %q, "api_key": "jogg-mock-key", "proxy": "none",
		"max_retries": 0, "timeout_ms": 5000, "post_limit": 3, "post_window_ms": 1000}`, base)
}

// memStore is a store of the caller's own: a sliding log of slots in memory, as a program
// would keep in a database, with a record of what it was asked.
type memStore struct {
	mu        sync.Mutex
	expiry    map[string]time.Time // slot id: until when it is held
	acquired  []PostSlot           // slots taken
	waits     int                  // Acquire calls answered "wait"
	released  []PostSlot
	cooldowns []string // "keyID pause"
	pausedTo  time.Time
	failWith  error // Acquire returns it when set
	panicWith any   // Acquire panics with it when set
}

// fail makes Acquire return err, or panic with value, until called again with nils.
func (s *memStore) fail(err error, value any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failWith, s.panicWith = err, value
}

func newMemStore() *memStore { return &memStore{expiry: map[string]time.Time{}} }

func (s *memStore) Acquire(slot PostSlot) (time.Duration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failWith != nil {
		return 0, s.failWith
	}
	if s.panicWith != nil {
		panic(s.panicWith)
	}
	now := time.Now()
	if now.Before(s.pausedTo) {
		s.waits++
		return s.pausedTo.Sub(now), nil
	}
	var first time.Time
	for id, until := range s.expiry {
		if !until.After(now) {
			delete(s.expiry, id)
		} else if first.IsZero() || until.Before(first) {
			first = until
		}
	}
	if len(s.expiry) >= int(slot.Limit) {
		s.waits++
		return first.Sub(now), nil
	}
	s.expiry[slot.ID] = now.Add(slot.Hold)
	s.acquired = append(s.acquired, slot)
	return 0, nil
}

func (s *memStore) Release(slot PostSlot) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, held := s.expiry[slot.ID]; held {
		s.expiry[slot.ID] = time.Now().Add(slot.Hold)
	}
	s.released = append(s.released, slot)
	return nil
}

func (s *memStore) Cooldown(keyID string, pause time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if until := time.Now().Add(pause); until.After(s.pausedTo) {
		s.pausedTo = until
	}
	s.cooldowns = append(s.cooldowns, fmt.Sprintf("%s %v", keyID, pause))
	return nil
}

var keyIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// Two clients of one process share a store of their own: together they keep to the mock's
// limit of 3 POSTs a second, which counting apart (3 each) would break.
func TestClientsShareAStoreOfTheirOwn(t *testing.T) {
	base := startMock(t, "--render-ms", "300", "--post-limit", "3", "--post-window-ms", "1000")
	store := newMemStore()
	var clients []*Client
	for i := 0; i < 2; i++ {
		c, err := NewClientWithPostLimiter(limitedConfig(base), store)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		clients = append(clients, c)
	}
	const creates = 6
	var wg sync.WaitGroup
	errs := make(chan error, creates)
	for i := 0; i < creates; i++ {
		wg.Add(1)
		go func(c *Client) {
			defer wg.Done()
			_, err := c.CreateTalkingAvatarVideo(aCreate)
			errs <- err
		}(clients[i%2])
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("create: %v", err) // a 429 among them: max_retries is 0
		}
	}
	posts := mockPosts(t, base)
	if len(posts) != creates {
		t.Fatalf("the mock got %d POSTs, want %d", len(posts), creates)
	}
	for _, p := range posts {
		if p.HTTPStatus != 200 || p.APICode != 0 || p.Created == "" {
			t.Errorf("a POST answered HTTP %d, code %d", p.HTTPStatus, p.APICode)
		}
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if len(store.acquired) != creates || len(store.released) != creates {
		t.Fatalf("%d slots taken, %d released, for %d POSTs", len(store.acquired), len(store.released), creates)
	}
	if store.waits == 0 {
		t.Error("no create was told to wait: the two clients did not count together")
	}
	taken := map[string]bool{}
	for _, s := range store.acquired {
		taken[s.ID] = true
		if s.KeyID != store.acquired[0].KeyID || !keyIDPattern.MatchString(s.KeyID) || s.Limit != 3 {
			t.Errorf("slot %+v", s)
		}
		if s.Hold != 6020*time.Millisecond { // timeout + window + margin
			t.Errorf("lease %v", s.Hold)
		}
	}
	for _, s := range store.released {
		if !taken[s.ID] || s.Hold != 1020*time.Millisecond { // window + margin
			t.Errorf("released %+v", s)
		}
		delete(taken, s.ID)
	}
	if len(taken) != 0 || len(store.cooldowns) != 0 {
		t.Errorf("never released: %v; cooldowns %v", taken, store.cooldowns)
	}
}

// A store that fails: the POST is not sent, and the error is ErrLimiterStore naming the
// store, with the store's own error as its Cause. A panic counts as a failure.
func TestFailingStoreGivesErrLimiterStore(t *testing.T) {
	base := startMock(t, "--render-ms", "300")
	store := newMemStore()
	c, err := NewClientWithPostLimiter(limitedConfig(base), store)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	offline := errors.New("the coordination service is offline")
	store.fail(offline, nil)
	_, err = c.CreateTalkingAvatarVideo(aCreate)
	e := asError(t, err, ErrLimiterStore)
	if e.Field != "post_limit_scope" || !strings.Contains(e.Message, "jogg_client_new_with_post_limiter") ||
		!strings.Contains(e.Message, "acquire callback") {
		t.Errorf("%s", e.JSON)
	}
	if !errors.Is(err, offline) || !strings.Contains(err.Error(), "Acquire: the coordination service is offline") {
		t.Errorf("cause %v in %q", e.Cause, err)
	}
	store.fail(nil, "store bug")
	_, err = c.CreateTalkingAvatarVideo(aCreate)
	if e := asError(t, err, ErrLimiterStore); e.Cause == nil || !strings.Contains(e.Cause.Error(), "Acquire panicked: store bug") {
		t.Errorf("cause %v", e.Cause)
	}
	store.fail(nil, nil)
	// GETs do not ask the store, and do not carry an old failure.
	if _, err := c.GetProject("none"); errors.As(err, &e) && e.Cause != nil {
		t.Errorf("a GET's error has a cause: %v", err)
	}
	if posts := mockPosts(t, base); len(posts) != 0 {
		t.Errorf("the mock got %d POSTs from a store that failed", len(posts))
	}
	// With post_limit_fallback "process", the POST is counted in the process instead.
	store.fail(offline, nil)
	fallback, err := NewClientWithPostLimiter(strings.Replace(limitedConfig(base), "{", `{"post_limit_fallback": "process",`, 1), store)
	if err != nil {
		t.Fatal(err)
	}
	defer fallback.Close()
	must(fallback.CreateTalkingAvatarVideo(aCreate))(t)
}

// A 429 with Retry-After on a POST reaches the store's Cooldown, for the key its slots count.
func TestCooldownOnA429(t *testing.T) {
	base := startMock(t, "--render-ms", "300", "--fault", "POST * http429;retry_after=2;times=1")
	store := newMemStore()
	c, err := NewClientWithPostLimiter(limitedConfig(base), store)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.CreateTalkingAvatarVideo(aCreate)
	if e := asError(t, err, ErrRateLimited); e.RetryAfterMs != 2000 {
		t.Errorf("%s", e.JSON)
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if len(store.acquired) != 1 || len(store.released) != 1 {
		t.Fatalf("%d taken, %d released", len(store.acquired), len(store.released))
	}
	want := store.acquired[0].KeyID + " 2s"
	if len(store.cooldowns) != 1 || store.cooldowns[0] != want {
		t.Fatalf("cooldowns %v, want [%s]", store.cooldowns, want)
	}
}

func TestNewClientWithPostLimiterChecksItsArguments(t *testing.T) {
	_, err := NewClientWithPostLimiter(`{"proxy": "none"}`, nil)
	if e := asError(t, err, ErrNullArgument); e.Field != "store" {
		t.Errorf("%s", e.JSON)
	}
	_, err = NewClientWithPostLimiter(`{"proxy": "none", "post_limit_scope": "host"}`, newMemStore())
	if e := asError(t, err, ErrInvalidConfig); e.Field != "post_limit_scope" {
		t.Errorf("%s", e.JSON)
	}
	c, err := NewClientWithPostLimiter(`{"proxy": "none"}`, newMemStore())
	if err != nil {
		t.Fatal(err)
	}
	h := c.storeHandle
	c.Close()
	c.Close() // twice is fine
	deleted := func() (r any) {
		defer func() { r = recover() }()
		h.Value() // panics for a deleted handle
		return nil
	}()
	if c.storeHandle != 0 || deleted == nil {
		t.Fatalf("handle %v still live after Close", h)
	}
}
