// A test of your own code with jogg-mock as its test double. Run it as
//
//	jogg-mock --quiet --render-ms 0 -- go test .
//
// The mock's control API (plain HTTP under /_mock/, no key) resets it and says what the code
// under test sent: here, that it created exactly one video, and that its wait saw success.
package mocktest

import (
	"encoding/json"
	"net/http"
	"os"
	"testing"

	"github.com/jogg-rs/jogg/go/jogg"
)

// makeVideo is the code under test: one video from a script, waited for.
func makeVideo(client *jogg.Client, script, waitOptions string) (string, error) {
	request, _ := json.Marshal(map[string]any{"script": script, "avatar_id": 81,
		"avatar_type": 0, "voice_id": "en-US-ChristopherNeural", "screen_style": 1})
	created, err := client.CreateTalkingAvatarVideo(string(request))
	if err != nil {
		return "", err
	}
	var reply struct {
		ProjectID string `json:"project_id"`
	}
	json.Unmarshal([]byte(created), &reply)
	return client.WaitForProject(reply.ProjectID, waitOptions, nil)
}

// mock sends one control request, METHOD /_mock/PATH, and decodes the reply into out.
func mock(t *testing.T, method, path string, out any) {
	t.Helper()
	request, _ := http.NewRequest(method, os.Getenv("JOGG_BASE_URL")+"/_mock/"+path, nil)
	reply, err := http.DefaultClient.Do(request)
	if err != nil {
		t.Fatal(err)
	}
	defer reply.Body.Close()
	if err := json.NewDecoder(reply.Body).Decode(out); err != nil || reply.StatusCode != 200 {
		t.Fatalf("%s /_mock/%s: %d %v", method, path, reply.StatusCode, err)
	}
}

func TestOneVideoIsCreatedAndTheWaitSeesSuccess(t *testing.T) {
	if os.Getenv("JOGG_BASE_URL") == "" {
		t.Fatal("no JOGG_BASE_URL: run it under jogg-mock")
	}
	var reset map[string]any
	mock(t, "POST", "reset", &reset)
	client, err := jogg.NewClient("{}")
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	// In tests, poll every 50 ms rather than the production schedule's 5 s.
	project, err := makeVideo(client, "Hello!", `{"initial_interval_ms": 50}`)
	if err != nil {
		t.Fatal(err)
	}
	var done struct {
		ID         string `json:"id"`
		StatusCode int    `json:"status_code"`
	}
	json.Unmarshal([]byte(project), &done)
	if done.StatusCode != 4 { // success
		t.Fatalf("the wait did not see success: %s", project)
	}
	var creates struct {
		Count    int `json:"count"`
		Requests []struct {
			Created string `json:"created"`
		} `json:"requests"`
	}
	mock(t, "GET", "requests?operation=v1.create_video_from_talking_avatar", &creates)
	if creates.Count != 1 || creates.Requests[0].Created != done.ID {
		t.Fatalf("want one create, of %s: %+v", done.ID, creates)
	}
}
