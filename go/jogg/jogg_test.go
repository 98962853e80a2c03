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
// as `make test-go` does). Without it, it starts a jogg-mock itself (see mockBinary), so that a
// plain `go test ./...` works too.
func TestMain(m *testing.M) {
	if os.Getenv("JOGG_BASE_URL") != "" {
		os.Exit(m.Run())
	}
	mock := exec.Command(mockBinary(), "--render-ms", "300")
	stderr, err := mock.StderrPipe()
	if err == nil {
		err = mock.Start()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "JOGG_BASE_URL is unset and jogg-mock could not start (%v): run `make lib` first, set JOGG_MOCK, or `jogg-mock -- go test ./...`\n", err)
		os.Exit(1)
	}
	// The mock's first line, on stderr: "jogg-mock listening on http://127.0.0.1:PORT".
	line, _ := bufio.NewReader(stderr).ReadString('\n')
	base := line[strings.LastIndex(line, " ")+1:]
	os.Setenv("JOGG_BASE_URL", strings.TrimSpace(base))
	os.Setenv("JOGG_API_KEY", "jogg-mock-key")
	code := m.Run()
	mock.Process.Kill()
	mock.Wait()
	os.Exit(code)
}

// mockBinary is the jogg-mock to start: $JOGG_MOCK, else one on PATH (an installed jogg's),
// else this repository's release build, in $CARGO_TARGET_DIR or target/.
func mockBinary() string {
	if path := os.Getenv("JOGG_MOCK"); path != "" {
		return path
	}
	if path, err := exec.LookPath("jogg-mock"); err == nil {
		return path
	}
	target := os.Getenv("CARGO_TARGET_DIR")
	if target == "" {
		target = filepath.Join("..", "..", "target")
	}
	return filepath.Join(target, "release", "jogg-mock")
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

// talkingRequest is a talking-avatar request with the catalogue's first avatar and voice.
func talkingRequest(t *testing.T, c *Client, script string) string {
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
	return string(request)
}

// createVideo starts a render with the catalogue's first avatar and voice; the project id.
func createVideo(t *testing.T, c *Client, script string) string {
	t.Helper()
	var created struct {
		ProjectID string `json:"project_id"`
	}
	decode(t, must(c.CreateTalkingAvatarVideo(talkingRequest(t, c, script)))(t), &created)
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
	toml, err := os.ReadFile(filepath.Join("..", "..", "Cargo.toml"))
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

// Codes holds every code jogg.h defines, each once, in the header's order.
func TestCodesAreTheHeaders(t *testing.T) {
	header, err := os.ReadFile(filepath.Join("..", "..", "include", "jogg.h"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, m := range regexp.MustCompile(`(?m)^#define (JOGG_(?:OK|ERR_[A-Z0-9_]+)) -?\d+$`).FindAllStringSubmatch(string(header), -1) {
		want = append(want, m[1])
	}
	var got []string
	for _, c := range Codes {
		got = append(got, c.String())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") || len(want) < 30 {
		t.Fatalf("Codes:\n%v\njogg.h:\n%v", got, want)
	}
}

func TestConfigErrorNamesTheMember(t *testing.T) {
	_, err := NewClient(`{"bogus": 1}`)
	e := asError(t, err, ErrInvalidConfig)
	if e.Field != "bogus" || !strings.Contains(e.Error(), "bogus") || e.RequestID != "" {
		t.Fatalf("%+v", e)
	}
}

// A string holding a NUL byte would reach C cut short: refused naming the argument, as the
// C library refuses what it cannot read, before anything is sent.
func TestArgumentsWithANulByteAreRefusedByName(t *testing.T) {
	c := newClient(t)
	_, err := c.GetProject("abc\x00def")
	e := asError(t, err, ErrValidation)
	if e.Field != "projectID" || len(e.Fields) != 1 || !strings.Contains(e.Message, "NUL") {
		t.Fatalf("%+v", e)
	}
	var decoded map[string]any
	decode(t, e.JSON, &decoded)
	if decoded["field"] != "projectID" || decoded["name"] != "JOGG_ERR_VALIDATION" {
		t.Fatalf("%s", e.JSON)
	}
	_, err = c.Call("v1.list_voices", "{\"language\": \"en\x00\"}")
	if e := asError(t, err, ErrValidation); e.Field != "requestJSON" {
		t.Fatalf("%s", e.JSON)
	}
	if _, err = NewClient("{}\x00"); asError(t, err, ErrValidation).Field != "configJSON" {
		t.Fatal(err)
	}
	if err = WebhookVerify([]byte("{}"), "", "s\x00"); asError(t, err, ErrValidation).Field != "secret" {
		t.Fatal(err)
	}
}

func TestEveryMissingMemberIsNamedAtOnce(t *testing.T) {
	_, err := newClient(t).CreateTalkingAvatarVideo(`{"script": "Hello"}`)
	e := asError(t, err, ErrValidation)
	want := []string{"screen_style", "avatar_id", "avatar_type", "voice_id"}
	if e.Field != "screen_style" || strings.Join(e.Fields, ",") != strings.Join(want, ",") {
		t.Fatalf("%s", e.JSON)
	}
}

func TestListVoicesTakesAllPagesAndAnyCaseOfALanguage(t *testing.T) {
	var every struct {
		Voices []struct {
			Language string `json:"language"`
		} `json:"voices"`
		Pages int `json:"pages"`
	}
	decode(t, must(newClient(t).ListVoices(`{"language": "English", "page_size": 3, "all_pages": true}`))(t), &every)
	if every.Pages < 2 || len(every.Voices) <= 3 {
		t.Fatalf("%+v", every)
	}
	for _, v := range every.Voices {
		if v.Language != "english" {
			t.Fatalf("%+v", every)
		}
	}
}

// The POST limit's scope travels in the config JSON like any member.
func TestPostLimitScopeFromConfig(t *testing.T) {
	_, err := NewClient(`{"post_limit_scope": "cluster"}`)
	if e := asError(t, err, ErrInvalidConfig); e.Field != "post_limit_scope" {
		t.Fatalf("%s", e.JSON)
	}
	dir := t.TempDir()
	shared, err := NewClient(`{"proxy": "none", "post_limit_scope": "host", "post_limit_dir": "` + dir + `/locks"}`)
	if err != nil {
		t.Fatal(err)
	}
	defer shared.Close()
	createVideo(t, shared, "Counted in a host-wide state file.")
	// A directory that cannot be made: the create fails naming it, before anything is sent.
	if err := os.WriteFile(dir+"/file", []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	broken, err := NewClient(`{"proxy": "none", "post_limit_scope": "host", "post_limit_dir": "` + dir + `/file"}`)
	if err != nil {
		t.Fatal(err)
	}
	defer broken.Close()
	_, err = broken.CreateTalkingAvatarVideo(talkingRequest(t, broken, "never sent"))
	if e := asError(t, err, ErrLimiterStore); e.Field != "post_limit_scope" || !strings.Contains(e.Message, dir+"/file") {
		t.Fatalf("%s", e.JSON)
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

func TestNewCodesHaveTheirNames(t *testing.T) {
	if ErrIO != 400 || ErrIO.String() != "JOGG_ERR_IO" || ErrSignature != 401 || ErrSignature.String() != "JOGG_ERR_SIGNATURE" {
		t.Fatalf("%d %s, %d %s", ErrIO, ErrIO, ErrSignature, ErrSignature)
	}
}

func TestCallAnyOperationByName(t *testing.T) {
	c := newClient(t)
	var ops []struct {
		Name string `json:"name"`
	}
	decode(t, must(Operations())(t), &ops)
	names := map[string]bool{}
	for _, op := range ops {
		names[op.Name] = true
	}
	if !names["v1.get_project"] || !names["v2.get_current_user"] {
		t.Fatalf("%d operations, without the expected ones", len(ops))
	}
	var user struct {
		Username string `json:"username"`
	}
	decode(t, must(c.Call("v2.get_current_user", ""))(t), &user)
	if user.Username != "jogg-mock" {
		t.Fatalf("%+v", user)
	}
	var all struct {
		Voices []json.RawMessage `json:"voices"`
		Pages  int               `json:"pages"`
	}
	decode(t, must(c.Call("v2.list_voices", `{"all_pages": true}`))(t), &all)
	if all.Pages < 1 || len(all.Voices) == 0 {
		t.Fatalf("%d pages, %d voices", all.Pages, len(all.Voices))
	}
	_, err := c.Call("v9.nothing", "")
	asError(t, err, ErrUnknownOperation)
}

func TestWaitForAnyTaskAndForMany(t *testing.T) {
	c := newClient(t)
	first, second := createVideo(t, c, "one"), createVideo(t, c, "two")
	events := 0
	var done struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Task   struct {
			StatusCode int `json:"status_code"`
		} `json:"task"`
	}
	decode(t, must(c.Wait("v1.get_project", first, waitOptions, func(string) bool { events++; return true }))(t), &done)
	if done.ID != first || done.Status != "succeeded" || done.Task.StatusCode != 4 || events == 0 {
		t.Fatalf("%+v after %d events", done, events)
	}
	tasks := `[{"operation": "v1.get_project", "id": "` + second + `"}, {"operation": "v1.get_project", "id": "no-such-project"}]`
	var results []struct {
		ID    string `json:"id"`
		OK    bool   `json:"ok"`
		Error struct {
			Name string `json:"name"`
		} `json:"error"`
	}
	decode(t, must(c.WaitMany(tasks, waitOptions, nil))(t), &results)
	if len(results) != 2 || results[0].ID != second || !results[0].OK || results[1].OK || results[1].Error.Name != "JOGG_ERR_NOT_FOUND" {
		t.Fatalf("%+v", results)
	}
}

func TestCallAndWaitAndGenerate(t *testing.T) {
	c := newClient(t)
	request := talkingRequest(t, c, "created and awaited")
	var done struct {
		ID      string `json:"id"`
		Status  string `json:"status"`
		Created struct {
			ProjectID string `json:"project_id"`
		} `json:"created"`
	}
	decode(t, must(c.CallAndWait("v1.create_video_from_talking_avatar", request, waitOptions, nil))(t), &done)
	if done.Status != "succeeded" || done.ID == "" || done.Created.ProjectID != done.ID {
		t.Fatalf("%+v", done)
	}
	var last string
	var project struct {
		StatusCode int    `json:"status_code"`
		VideoURL   string `json:"video_url"`
	}
	decode(t, must(c.GenerateTalkingAvatarVideo(request, waitOptions, func(e string) bool { last = e; return true }))(t), &project)
	if project.StatusCode != 4 || !strings.HasPrefix(project.VideoURL, "http://127.0.0.1:") || !strings.Contains(last, `"succeeded"`) {
		t.Fatalf("%+v, last event %s", project, last)
	}
}

func TestUploadThenDownload(t *testing.T) {
	c := newClient(t)
	dir := t.TempDir()
	data := []byte(strings.Repeat("jogg upload bytes ", 5000))
	source := filepath.Join(dir, "clip.mp4")
	if err := os.WriteFile(source, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var uploaded struct {
		AssetURL    string `json:"asset_url"`
		Bytes       int    `json:"bytes"`
		ContentType string `json:"content_type"`
	}
	sent := 0
	decode(t, must(c.UploadAsset(source, `{"version": "v1"}`, func(string) bool { sent++; return true }))(t), &uploaded)
	if uploaded.Bytes != len(data) || uploaded.ContentType != "video/mp4" || sent < 2 {
		t.Fatalf("%+v, %d events", uploaded, sent)
	}
	_, err := c.UploadAsset(source, "", func(string) bool { return false })
	asError(t, err, ErrCancelled)
	target := filepath.Join(dir, "copy.mp4")
	events := 0
	var done struct {
		Bytes int `json:"bytes"`
	}
	decode(t, must(c.Download(uploaded.AssetURL, target, func(string) bool { events++; return true }))(t), &done)
	copied, err := os.ReadFile(target)
	if err != nil || done.Bytes != len(data) || string(copied) != string(data) || events == 0 {
		t.Fatalf("%+v, %d events, %v", done, events, err)
	}
	_, err = c.UploadAsset(filepath.Join(dir, "missing.png"), "", nil)
	if e := asError(t, err, ErrIO); e.Field != "path" {
		t.Fatalf("%s", e.JSON)
	}
}

// RFC 4231 test case 2, and a v2 failure event signed with "whsec_test" (as tests/c/test_abi.c).
const (
	rfcBody   = "what do ya want for nothing?"
	rfcSig    = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	eventBody = `{"event_id":"evt_c","event":"generated_avatar_video_failed","timestamp":1732806631,` +
		`"data":{"video_id":"v-9","status":"failed","error":{"code":50000,"message":"render crashed"}}}`
	eventSig = "eebcc71e5d2172437926ac3fa2609c833f84eeb508b8954e378881e4ae1ee146"
)

func TestWebhookVerifyAndParse(t *testing.T) {
	if err := WebhookVerify([]byte(rfcBody), rfcSig, "Jefe"); err != nil {
		t.Fatal(err)
	}
	if err := WebhookVerify([]byte(rfcBody), strings.ToUpper(rfcSig), "Jefe"); err != nil {
		t.Fatal(err)
	}
	asError(t, WebhookVerify([]byte(rfcBody+" "), rfcSig, "Jefe"), ErrSignature)
	asError(t, WebhookVerify([]byte(rfcBody), "", "Jefe"), ErrSignature)
	asError(t, WebhookVerify([]byte(rfcBody), rfcSig, ""), ErrValidation)
	var event struct {
		TaskKind string `json:"task_kind"`
		ID       string `json:"id"`
		Status   string `json:"status"`
		Error    string `json:"error"`
	}
	decode(t, must(WebhookParse([]byte(eventBody), eventSig, "whsec_test"))(t), &event)
	if event.TaskKind != "avatar_video" || event.ID != "v-9" || event.Status != "failed" || event.Error != "render crashed" {
		t.Fatalf("%+v", event)
	}
	_, err := WebhookParse([]byte(eventBody), eventSig, "whsec_other")
	asError(t, err, ErrSignature)
}

func TestWebhookDeliver(t *testing.T) {
	c, err := NewClient(`{"proxy": "none", "webhook_secrets": ["whsec_test"]}`)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var delivered struct {
		ID        string `json:"id"`
		Duplicate bool   `json:"duplicate"`
		Woken     int    `json:"woken"`
	}
	decode(t, must(c.WebhookDeliver([]byte(eventBody), eventSig))(t), &delivered)
	if delivered.ID != "v-9" || delivered.Duplicate || delivered.Woken != 0 {
		t.Fatalf("%+v", delivered)
	}
	decode(t, must(c.WebhookDeliver([]byte(eventBody), eventSig))(t), &delivered)
	if !delivered.Duplicate {
		t.Fatalf("a repeat is not recognised: %+v", delivered)
	}
	_, err = c.WebhookDeliver([]byte(eventBody), "")
	asError(t, err, ErrSignature)
	_, err = c.WebhookDeliver([]byte(eventBody), rfcSig)
	asError(t, err, ErrSignature)
	_, err = newClient(t).WebhookDeliver([]byte(eventBody), eventSig)
	asError(t, err, ErrSignature)
	_, err = c.WebhookDeliver(make([]byte, 256*1024+1), eventSig)
	asError(t, err, ErrBodyTooLarge)
	// The delivery came before the wait: the wait ends at once, as the event says (the mock
	// knows no v-9: a poll would fail with ErrNotFound).
	sources := []string{}
	_, err = c.Wait("v2.get_avatar_video", "v-9", "", func(event string) bool {
		var progress struct {
			Source string `json:"source"`
		}
		decode(t, event, &progress)
		sources = append(sources, progress.Source)
		return true
	})
	if e := asError(t, err, ErrTaskFailed); e.TaskID != "v-9" || len(sources) != 1 || sources[0] != "webhook" {
		t.Fatalf("%s, sources %v", e.JSON, sources)
	}
}

func TestCreateWebhookEndpoint(t *testing.T) {
	c := newClient(t)
	var endpoint struct {
		EndpointID string `json:"endpoint_id"`
		Secret     string `json:"secret"`
		Status     string `json:"status"`
	}
	decode(t, must(c.CreateWebhookEndpoint(`{"url": "https://example.com/hook", "events": ["generated_video_success"]}`))(t), &endpoint)
	if endpoint.EndpointID == "" || len(endpoint.Secret) < 8 || endpoint.Status != "enabled" {
		t.Fatalf("%+v", endpoint)
	}
	_, err := c.CreateWebhookEndpoint(`{"events": []}`)
	if e := asError(t, err, ErrValidation); e.Field != "url" {
		t.Fatalf("%s", e.JSON)
	}
}

func TestLogCallbackGetsLinesWithoutTheKey(t *testing.T) {
	type logLine struct {
		level int
		line  string
	}
	var mu sync.Mutex
	var lines []logLine
	c, err := NewClientWithLog(`{"proxy": "none"}`, func(level int, line string) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, logLine{level, line})
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.logHandle == 0 {
		t.Fatal("no handle for the callback")
	}
	must(c.ListVoices(`{"page_size": 1}`))(t)
	mu.Lock()
	defer mu.Unlock()
	key := os.Getenv("JOGG_API_KEY")
	info, debug, path := false, false, false
	for _, l := range lines {
		switch l.level {
		case LogInfo:
			info = true
		case LogDebug:
			debug = true
		default:
			t.Errorf("level %d: %s", l.level, l.line)
		}
		path = path || strings.Contains(l.line, "/v1/voices")
		if key == "" || strings.Contains(l.line, key) {
			t.Errorf("the key (%q) in %q", key, l.line)
		}
	}
	// No "log" in the config: a callback gets debug lines, so both levels.
	if !info || !debug || !path {
		t.Fatalf("info %v, debug %v, path %v in %+v", info, debug, path, lines)
	}
}

func TestLogHandleIsDeletedByClose(t *testing.T) {
	c, err := NewClientWithLog(`{"proxy": "none"}`, func(int, string) {})
	if err != nil {
		t.Fatal(err)
	}
	h := c.logHandle
	c.Close()
	c.Close() // twice is fine
	deleted := func() (r any) {
		defer func() { r = recover() }()
		h.Value() // panics for a deleted handle
		return nil
	}()
	if c.logHandle != 0 || deleted == nil {
		t.Fatalf("handle %v still live after Close", h)
	}
	_, err = NewClientWithLog(`{"log": "loud"}`, func(int, string) {})
	if e := asError(t, err, ErrInvalidConfig); e.Field != "log" {
		t.Fatalf("%s", e.JSON)
	}
	plain, err := NewClientWithLog(`{"proxy": "none"}`, nil) // nil: NewClient
	if err != nil || plain.logHandle != 0 {
		t.Fatalf("nil log: %v", err)
	}
	plain.Close()
}

func TestPanicInLogCallbackIsDropped(t *testing.T) {
	var calls int32
	var mu sync.Mutex
	c, err := NewClientWithLog(`{"proxy": "none", "log": "info"}`, func(int, string) {
		mu.Lock()
		calls++
		mu.Unlock()
		panic("not here")
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	voices := must(c.ListVoices(`{"page_size": 1}`))(t)
	if !strings.Contains(voices, "voice_id") {
		t.Fatalf("%s", voices)
	}
	mu.Lock()
	defer mu.Unlock()
	if calls != 1 {
		t.Fatalf("%d calls for one request at info", calls)
	}
}
