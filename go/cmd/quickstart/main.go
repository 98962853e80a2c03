// Command quickstart lists voices and avatars, creates a talking-avatar video and waits for
// it, printing progress. From the repository root, after `make lib`:
//
//	cd go && PKG_CONFIG_PATH=$PWD/../build/pkgconfig ../target/release/jogg-mock --render-ms 2000 -- go run ./cmd/quickstart
//
// Configuration comes from JOGG_API_KEY and JOGG_BASE_URL, as for every jogg program.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/jogg-rs/jogg/go/jogg"
)

func main() {
	if err := run(); err != nil {
		var e *jogg.Error
		if errors.As(err, &e) {
			// The request id is what Jogg support asks for.
			fmt.Fprintf(os.Stderr, "%s (%d): %s\nrequest id: %s\n", e.Name, e.Code, e.Message, e.RequestID)
		} else {
			fmt.Fprintln(os.Stderr, err)
		}
		os.Exit(1)
	}
}

func run() error {
	client, err := jogg.NewClient("{}")
	if err != nil {
		return err
	}
	defer client.Close()
	fmt.Println(jogg.Version())

	var voices struct {
		Total  int `json:"total"`
		Voices []struct {
			VoiceID string `json:"voice_id"`
		} `json:"voices"`
	}
	if err := call(client.ListVoices(`{"language": "english", "page_size": 5}`))(&voices); err != nil {
		return err
	}
	var avatars struct {
		Avatars []struct {
			AvatarID int `json:"avatar_id"`
		} `json:"avatars"`
	}
	if err := call(client.ListAvatars(`{"aspect_ratio": 0}`))(&avatars); err != nil {
		return err
	}
	if len(voices.Voices) == 0 || len(avatars.Avatars) == 0 {
		return errors.New("no voice or avatar in the catalogue")
	}
	fmt.Printf("voices (english): %d in all, using %s; avatar %d\n",
		voices.Total, voices.Voices[0].VoiceID, avatars.Avatars[0].AvatarID)

	request, _ := json.Marshal(map[string]any{
		"script": "Hello from Go!", "voice_id": voices.Voices[0].VoiceID,
		"avatar_id": avatars.Avatars[0].AvatarID, "avatar_type": 0, "screen_style": 1, "aspect_ratio": 0,
	})
	var created struct {
		ProjectID string `json:"project_id"`
	}
	if err := call(client.CreateTalkingAvatarVideo(string(request)))(&created); err != nil {
		return err
	}
	fmt.Printf("project %s created, waiting...\n", created.ProjectID)

	// The real API asks for one poll per 5 s at most; jogg-mock renders in seconds.
	options := ""
	if strings.Contains(os.Getenv("JOGG_BASE_URL"), "://127.0.0.1") {
		options = `{"initial_interval_ms": 250, "max_interval_ms": 1000}`
	}
	var project struct {
		VideoURL string `json:"video_url"`
	}
	err = call(client.WaitForProject(created.ProjectID, options, func(event string) bool {
		var e struct {
			Status    string `json:"status"`
			ElapsedMs int    `json:"elapsed_ms"`
		}
		json.Unmarshal([]byte(event), &e)
		fmt.Fprintf(os.Stderr, "  %s after %d ms\n", e.Status, e.ElapsedMs)
		return true // false would cancel the wait
	}))(&project)
	if err != nil {
		return err
	}
	fmt.Println("video:", project.VideoURL)
	return nil
}

// call decodes a jogg result into v, or passes its error on.
func call(result string, err error) func(v any) error {
	return func(v any) error {
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(result), v)
	}
}
