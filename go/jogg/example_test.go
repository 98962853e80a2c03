package jogg_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jogg-rs/jogg/go/jogg"
)

// Create a talking-avatar video and wait until it has rendered. The key and base URL come
// from JOGG_API_KEY and JOGG_BASE_URL (go test points them at a jogg-mock).
func Example() {
	client, err := jogg.NewClient("{}")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	created, err := client.CreateTalkingAvatarVideo(`{"script": "Hello!", "avatar_id": 81,
		"avatar_type": 0, "voice_id": "en-US-ChristopherNeural", "screen_style": 1, "aspect_ratio": 0}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	var reply struct {
		ProjectID string `json:"project_id"`
		VideoURL  string `json:"video_url"`
	}
	json.Unmarshal([]byte(created), &reply)
	polls := 0
	project, err := client.WaitForProject(reply.ProjectID, "", func(event string) bool {
		polls++
		return true // false cancels the wait
	})
	if err != nil {
		fmt.Println(err) // a *jogg.Error whose TaskID is the project: wait on it again later
		return
	}
	json.Unmarshal([]byte(project), &reply)
	fmt.Println("rendered:", reply.VideoURL != "", "polled:", polls > 0)
	// Output: rendered: true polled: true
}

// Requests are checked before anything is sent: a misspelt member is named in the error.
func ExampleError() {
	client, err := jogg.NewClient("{}")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	_, err = client.CreateTalkingAvatarVideo(`{"script": "Hello!", "avtar_id": 81}`)
	var e *jogg.Error
	if errors.As(err, &e) {
		fmt.Println(e.Name, e.Field, e.RequestID == "")
	}
	// Output: JOGG_ERR_VALIDATION avtar_id true
}

// Every operation of the API by name, with its method and path; Client.Call runs any of them.
func ExampleOperations() {
	list, err := jogg.Operations()
	if err != nil {
		fmt.Println(err)
		return
	}
	var operations []struct {
		Name   string `json:"name"`
		Method string `json:"method"`
		Path   string `json:"path"`
	}
	json.Unmarshal([]byte(list), &operations)
	for _, op := range operations {
		if op.Name == "v2.create_lip_sync_video" {
			fmt.Println(op.Method, op.Path)
		}
	}
	// Output: POST /v2/create_lip_sync_video
}

// A webhook handler checks the X-Webhook-Signature header against the raw body, then reads
// the event. Here the body is signed on the spot, as the API does with the endpoint's secret.
func ExampleWebhookParse() {
	body := []byte(`{"event_id": "evt_1", "event": "generated_avatar_video_success", "timestamp": 1732806631,
		"data": {"video_id": "v-1", "status": "completed", "video_url": "https://example.com/v-1.mp4"}}`)
	mac := hmac.New(sha256.New, []byte("whsec_example"))
	mac.Write(body)
	signature := hex.EncodeToString(mac.Sum(nil))

	parsed, err := jogg.WebhookParse(body, signature, "whsec_example")
	if err != nil {
		fmt.Println(err) // a *jogg.Error; ErrSignature: answer 401
		return
	}
	var event struct {
		TaskKind string `json:"task_kind"`
		ID       string `json:"id"`
		Status   string `json:"status"`
		VideoURL string `json:"video_url"`
	}
	json.Unmarshal([]byte(parsed), &event)
	fmt.Println(event.TaskKind, event.ID, event.Status, event.VideoURL)

	_, err = jogg.WebhookParse(body, signature, "another secret")
	var e *jogg.Error
	fmt.Println(errors.As(err, &e) && e.Code == jogg.ErrSignature)
	// Output:
	// avatar_video v-1 succeeded https://example.com/v-1.mp4
	// true
}

// A store of your own for the POST limit: slots that expire. This one is in memory, shared by
// the clients of one process; kept in a database or a service of yours instead, it shares the
// key's limit between processes and hosts. (One key here: for several, keep the slots of each
// slot.KeyID apart.)
type memoryStore struct {
	mu       sync.Mutex
	expiry   map[string]time.Time // slot id: until when it is held
	pausedTo time.Time            // no slot before then: a 429's Retry-After
}

func (s *memoryStore) Acquire(slot jogg.PostSlot) (time.Duration, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if now.Before(s.pausedTo) {
		return s.pausedTo.Sub(now), nil
	}
	var wait time.Duration // until the first slot held expires
	for id, until := range s.expiry {
		if left := until.Sub(now); left <= 0 {
			delete(s.expiry, id)
		} else if wait == 0 || left < wait {
			wait = left
		}
	}
	if len(s.expiry) >= int(slot.Limit) {
		return wait, nil
	}
	s.expiry[slot.ID] = now.Add(slot.Hold)
	return 0, nil // taken
}

func (s *memoryStore) Release(slot jogg.PostSlot) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expiry[slot.ID] = time.Now().Add(slot.Hold)
	return nil
}

func (s *memoryStore) Cooldown(keyID string, pause time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if until := time.Now().Add(pause); until.After(s.pausedTo) {
		s.pausedTo = until
	}
	return nil
}

// Two workers, each with a client of its own, count their POSTs in one store.
func ExampleNewClientWithPostLimiter() {
	store := &memoryStore{expiry: map[string]time.Time{}}
	var wg sync.WaitGroup
	for worker := 0; worker < 2; worker++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client, err := jogg.NewClientWithPostLimiter("{}", store)
			if err != nil {
				fmt.Println(err)
				return
			}
			defer client.Close()
			_, err = client.CreateTalkingAvatarVideo(`{"script": "Hello!", "avatar_id": 81,
				"avatar_type": 0, "voice_id": "en-US-ChristopherNeural", "screen_style": 1}`)
			if err != nil {
				fmt.Println(err) // ErrLimiterStore when Acquire failed: errors.Is sees its error
			}
		}()
	}
	wg.Wait()
	fmt.Println("slots held:", len(store.expiry))
	// Output: slots held: 2
}
