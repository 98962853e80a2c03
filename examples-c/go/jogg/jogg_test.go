package jogg

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

const waitOptions = `{"timeout_ms": 20000, "initial_interval_ms": 20, "max_interval_ms": 100}`

// TestMain runs against the jogg-mock named by JOGG_BASE_URL (`jogg-mock -- go test ./...`,
// as `make test-go` does). Without it, it starts the repository's target/release/jogg-mock
// itself, so that a plain `go test ./...` works too.
func TestMain(m *testing.M) {
	if os.Getenv("JOGG_BASE_URL") != "" {
		os.Exit(m.Run())
	}
	mock := exec.Command(filepath.Join("..", "..", "..", "target", "release", "jogg-mock"), "--render-ms", "300")
	stdout, err := mock.StdoutPipe()
	if err == nil {
		err = mock.Start()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "JOGG_BASE_URL is unset and jogg-mock could not start (%v): run `make lib` first, or `jogg-mock -- go test ./...`\n", err)
		os.Exit(1)
	}
	// The mock's first line: "jogg-mock listening on http://127.0.0.1:PORT".
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	base := line[strings.LastIndex(line, " ")+1:]
	os.Setenv("JOGG_BASE_URL", strings.TrimSpace(base))
	os.Setenv("JOGG_API_KEY", "jogg-mock-key")
	code := m.Run()
	mock.Process.Kill()
	mock.Wait()
	os.Exit(code)
}

func newClient(t *testing.T) *Client {
	t.Helper()
	c, err := NewClient(`{"proxy": "none"}`)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// asError returns err as *Error with the wanted code, or fails the test.
func asError(t *testing.T, err error, want Code) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *jogg.Error %v, got %v", want, err)
	}
	if e.Code != want || e.Name != want.String() {
		t.Fatalf("want %v, got %v (%s)", want, e.Code, e.JSON)
	}
	return e
}

// createVideo starts a render with the catalogue's first avatar and voice; the project id.
func createVideo(t *testing.T, c *Client, script string) string {
	t.Helper()
	var avatars struct {
		Avatars []struct {
			AvatarID int `json:"avatar_id"`
		} `json:"avatars"`
	}
	var voices struct {
		Voices []struct {
			VoiceID string `json:"voice_id"`
		} `json:"voices"`
	}
	decode(t, must(c.ListAvatars(""))(t), &avatars)
	decode(t, must(c.ListVoices(`{"page_size": 1}`))(t), &voices)
	if len(avatars.Avatars) == 0 || len(voices.Voices) == 0 {
		t.Fatal("empty catalogue")
	}
	request, _ := json.Marshal(map[string]any{
		"script": script, "voice_id": voices.Voices[0].VoiceID,
		"avatar_id": avatars.Avatars[0].AvatarID, "avatar_type": 0, "screen_style": 1,
	})
	var created struct {
		ProjectID string `json:"project_id"`
	}
	decode(t, must(c.CreateTalkingAvatarVideo(string(request)))(t), &created)
	if created.ProjectID == "" {
		t.Fatal("no project_id")
	}
	return created.ProjectID
}

func must(s string, err error) func(*testing.T) string {
	return func(t *testing.T) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}

func decode(t *testing.T, text string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(text), v); err != nil {
		t.Fatalf("%v in %s", err, text)
	}
}

func TestVersionAgreesWithHeaderAndCargoToml(t *testing.T) {
	if Version() != HeaderVersion || LibraryVersionNumber() != HeaderVersionNumber {
		t.Fatalf("library %s (%d), header %s (%d)", Version(), LibraryVersionNumber(), HeaderVersion, HeaderVersionNumber)
	}
	toml, err := os.ReadFile(filepath.Join("..", "..", "..", "Cargo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^version = "(\d+)\.(\d+)\.(\d+)"`).FindStringSubmatch(string(toml))
	if m == nil || Version() != "jogg/"+m[1]+"."+m[2]+"."+m[3] {
		t.Fatalf("Cargo.toml says %v, library %s", m, Version())
	}
	var major, minor, patch uint32
	fmt.Sscan(m[1]+" "+m[2]+" "+m[3], &major, &minor, &patch)
	if LibraryVersionNumber() != major*1000000+minor*1000+patch {
		t.Fatalf("version number %d for %s", LibraryVersionNumber(), Version())
	}
}

func TestConfigErrorNamesTheMember(t *testing.T) {
	_, err := NewClient(`{"bogus": 1}`)
	e := asError(t, err, ErrInvalidConfig)
	if e.Field != "bogus" || !strings.Contains(e.Error(), "bogus") || e.RequestID != "" {
		t.Fatalf("%+v", e)
	}
}

func TestValidationHappensBeforeSending(t *testing.T) {
	c := newClient(t)
	_, err := c.CreateTalkingAvatarVideo(`{"script": "hi", "voice_id": "v", "avtar_id": 1, "avatar_type": 0}`)
	e := asError(t, err, ErrValidation)
	if e.Field != "avtar_id" || e.RequestID != "" {
		t.Fatalf("%s", e.JSON)
	}
}

func TestAPIErrorsCarryRequestIDNotTheKey(t *testing.T) {
	c := newClient(t)
	_, err := c.GetProject("no-such-project")
	e := asError(t, err, ErrNotFound)
	if e.RequestID == "" || !strings.Contains(e.Error(), e.RequestID) {
		t.Fatalf("no request id: %s", e.JSON)
	}

	const key = "sentinel-key-9c1d"
	wrong, err := NewClient(`{"proxy": "none", "api_key": "` + key + `"}`)
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	_, err = wrong.ListVoices("")
	e = asError(t, err, ErrAuth)
	if e.RequestID == "" || strings.Contains(e.JSON, key) || strings.Contains(e.Error(), key) {
		t.Fatalf("%s", e.JSON)
	}
}

func TestCreateAndWaitWithProgress(t *testing.T) {
	c := newClient(t)
	id := createVideo(t, c, "Hello from Go")
	var statuses []string
	result, err := c.WaitForProject(id, waitOptions, func(event string) bool {
		var e struct {
			ProjectID string `json:"id"`
			Status    string `json:"status"`
		}
		decode(t, event, &e)
		if e.ProjectID != id {
			t.Errorf("event for %s", e.ProjectID)
		}
		statuses = append(statuses, e.Status)
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	var project struct {
		StatusCode int    `json:"status_code"`
		VideoURL   string `json:"video_url"`
	}
	decode(t, result, &project)
	if project.StatusCode != 4 || !strings.HasPrefix(project.VideoURL, "http://127.0.0.1:") {
		t.Fatalf("%s", result)
	}
	if len(statuses) == 0 || statuses[len(statuses)-1] != "succeeded" {
		t.Fatalf("progress: %v", statuses)
	}
	// No callback is fine too.
	if _, err := c.WaitForProject(id, "", nil); err != nil {
		t.Fatal(err)
	}
}

func TestProgressCanCancel(t *testing.T) {
	c := newClient(t)
	id := createVideo(t, c, "cancelled")
	calls := 0
	_, err := c.WaitForProject(id, waitOptions, func(string) bool { calls++; return false })
	e := asError(t, err, ErrCancelled)
	if e.TaskID != id || calls != 1 {
		t.Fatalf("calls %d, %s", calls, e.JSON)
	}
}

func TestPanicInProgressResumesAfterTheCall(t *testing.T) {
	c := newClient(t)
	id := createVideo(t, c, "panicked")
	calls := 0
	recovered := func() (r any) {
		defer func() { r = recover() }()
		c.WaitForProject(id, waitOptions, func(string) bool { calls++; panic("stop here") })
		return nil
	}()
	if recovered != "stop here" || calls != 1 {
		t.Fatalf("recovered %v after %d calls", recovered, calls)
	}
	if _, err := c.GetProject(id); err != nil {
		t.Fatalf("client unusable after the panic: %v", err)
	}
}

func TestGoroutinesShareOneClient(t *testing.T) {
	c := newClient(t)
	var wg sync.WaitGroup
	errs := make(chan error, 24)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 3; i++ {
				if _, err := c.ListVoices(`{"page_size": 2}`); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCloseIsFinal(t *testing.T) {
	c, err := NewClient(`{"proxy": "none"}`)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	c.Close() // twice is fine
	if _, err := c.ListVoices(""); !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
}
