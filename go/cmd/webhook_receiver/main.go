// Command webhook_receiver waits for a video while a net/http handler feeds the client the
// webhook deliveries: the wait ends when the delivery comes, polling only as a safety net.
// Configuration comes from JOGG_API_KEY and JOGG_BASE_URL (jogg-mock sets both).
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"

	"github.com/jogg-rs/jogg/go/jogg"
)

func main() {
	client, err := jogg.NewClient("{}") // or {"webhook_secrets": [...]} for endpoints made elsewhere
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	// The handler: raw body and signature header to the client, which wakes the waits.
	http.HandleFunc("/hook", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		_, err := client.WebhookDeliver(body, r.Header.Get("X-Webhook-Signature"))
		var e *jogg.Error
		switch {
		case err == nil:
			w.WriteHeader(http.StatusOK) // repeats too, or the sender retries
		case errors.As(err, &e) && e.Code == jogg.ErrSignature:
			w.WriteHeader(http.StatusUnauthorized)
		default:
			w.WriteHeader(http.StatusBadRequest)
		}
	})
	listener, err := net.Listen("tcp", "127.0.0.1:0") // jogg-mock delivers to loopback http://
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(listener, nil)

	// An endpoint made by this client: it knows the secret, and expects deliveries.
	_, err = client.CreateWebhookEndpoint(fmt.Sprintf(
		`{"url": "http://%s/hook", "events": ["generated_video_success", "generated_video_failed"]}`,
		listener.Addr()))
	if err != nil {
		log.Fatal(err)
	}
	created, err := client.CreateTalkingAvatarVideo(`{"script": "Hello!", "avatar_id": 81,
		"avatar_type": 0, "voice_id": "en-US-ChristopherNeural", "screen_style": 1}`)
	if err != nil {
		log.Fatal(err)
	}
	var project struct {
		ProjectID string `json:"project_id"`
	}
	json.Unmarshal([]byte(created), &project)
	done, err := client.Wait("v1.get_project", project.ProjectID, "", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("waited:", done) // {"source": "webhook", "polls": 1, ...}
}
